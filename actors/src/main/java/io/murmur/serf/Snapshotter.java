package io.murmur.serf;

import io.murmur.protocol.Address;
import io.murmur.store.FileSystem;
import io.murmur.store.snapshot.Snapshot;
import io.murmur.store.snapshot.SnapshotReader;
import io.murmur.store.snapshot.SnapshotRecord;
import io.murmur.store.snapshot.SnapshotWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Keeps a serf node's snapshot file (Serf's snapshotter): members that join and go, the user-event and query clocks
 * of what was delivered, the member clock, and this node's leave. Writes are buffered and flushed (and synced) every
 * 500 ms, as Serf does; the clocks are sampled at each flush. A write that fails is logged and retried by the
 * writer's next flush; it never stops the node.
 */
final class Snapshotter extends AbstractBehavior<Snapshotter.Command> {

    sealed interface Command {}

    record Append(SnapshotRecord record) implements Command {}

    private enum Flush implements Command {
        INSTANCE
    }

    static final Duration FLUSH_INTERVAL = Duration.ofMillis(500);

    /**
     * @param clocks the three clocks to record at each flush: member, user event, query
     */
    static Behavior<Command> create(FileSystem fs, Path path, Snapshot replayed, Supplier<long[]> clocks) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Flush.INSTANCE, FLUSH_INTERVAL);
            return new Snapshotter(ctx, SnapshotWriter.open(fs, path, replayed), path, clocks);
        }));
    }

    /**
     * Serf's restart, run by the serf actor as it starts: the clocks resume after what the snapshot recorded (so old
     * events and queries are not delivered again), and the node rejoins the members it knew (in an order shuffled by
     * the node's seed) — unless it had left, and rejoin-after-leave is off. Returns the snapshotter, spawned as a
     * child of the serf actor, which appends to the same file from then on.
     */
    static ActorRef<Command> restore(ActorContext<Serf.Command> serf, SerfSettings settings, SerfCore core) {
        Snapshot replayed = replay(settings, serf.getLog());
        List<Address> previous = core.restore(replayed.state());
        if (!previous.isEmpty()) {
            Collections.shuffle(previous, new Random(settings.node().seed()));
            serf.getLog().info("{}: rejoining {} members from the snapshot", settings.name(), previous.size());
            serf.getSelf().tell(new Serf.Join(previous, false, serf.getSystem().ignoreRef()));
        }
        return serf.spawn(
                Serf.resumeOnFailure(
                        create(settings.fileSystem(), settings.snapshotPath(), replayed, core::clockTimes)),
                "snapshot");
    }

    /** The snapshot in {@code settings}, read up to its last good record; empty (with a warning) if unreadable. */
    static Snapshot replay(SerfSettings settings, org.slf4j.Logger log) {
        Snapshot replayed;
        try {
            replayed = SnapshotReader.replay(settings.fileSystem(), settings.snapshotPath());
        } catch (IOException e) {
            log.warn(
                    "{}: cannot read the snapshot {}; starting without it",
                    settings.name(),
                    settings.snapshotPath(),
                    e);
            return Snapshot.EMPTY;
        }
        if (replayed.badRecords() > 0) {
            log.warn(
                    "{}: the snapshot {} had {} bad records; read up to the last good one",
                    settings.name(),
                    settings.snapshotPath(),
                    replayed.badRecords());
        }
        return replayed;
    }

    /** What a member event means for the snapshot: who is alive now, and who is not. */
    static java.util.List<SnapshotRecord> records(SerfEvent.Members event) {
        return event.members().stream()
                .map(m -> switch (event.type()) {
                    case MEMBER_JOIN, MEMBER_UPDATE ->
                        (SnapshotRecord)
                                new SnapshotRecord.Alive(m.name(), m.address().toString());
                    default -> new SnapshotRecord.NotAlive(m.name());
                })
                .toList();
    }

    private final SnapshotWriter writer;
    private final Path path;
    private final Supplier<long[]> clocks;

    private Snapshotter(ActorContext<Command> ctx, SnapshotWriter writer, Path path, Supplier<long[]> clocks) {
        super(ctx);
        this.writer = writer;
        this.path = path;
        this.clocks = clocks;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Append.class, m -> {
                    writer.append(m.record());
                    if (m.record() == SnapshotRecord.Leave.INSTANCE) {
                        flush(); // a leave must be on disk before the process goes away
                    }
                    return this;
                })
                .onMessage(Flush.class, m -> {
                    flush();
                    return this;
                })
                .onSignal(PostStop.class, s -> {
                    flush();
                    try {
                        writer.close();
                    } catch (IOException e) {
                        getContext().getLog().warn("closing the snapshot {} failed", path, e);
                    }
                    return this;
                })
                .build();
    }

    private void flush() {
        long[] c = clocks.get();
        writer.append(new SnapshotRecord.Clock(c[0]));
        writer.append(new SnapshotRecord.EventClock(c[1]));
        writer.append(new SnapshotRecord.QueryClock(c[2]));
        try {
            writer.flush();
        } catch (IOException e) {
            getContext().getLog().warn("writing the snapshot {} failed; retrying at the next flush", path, e);
        }
    }
}
