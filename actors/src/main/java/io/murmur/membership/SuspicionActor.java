package io.murmur.membership;

import io.murmur.protocol.Message.Suspect;
import java.time.Duration;
import java.util.OptionalLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The suspicion of one member, a child of the member table: runs a {@link Suspicion}, re-gossips each new
 * independent confirmation, and tells the table when the timeout runs out. The table stops it when the member
 * refutes or is declared dead by someone else.
 */
final class SuspicionActor extends AbstractBehavior<SuspicionActor.Command> {

    sealed interface Command {}

    record Confirm(Suspect message) implements Command {}

    private enum Expire implements Command {
        INSTANCE
    }

    static Behavior<Command> create(
            Effect.StartSuspicion start,
            ActorRef<MemberTableActor.Command> table,
            ActorRef<GossiperActor.Command> gossiper) {
        return Behaviors.setup(
                ctx -> Behaviors.withTimers(timers -> new SuspicionActor(ctx, timers, start, table, gossiper)));
    }

    private final TimerScheduler<Command> timers;
    private final Effect.StartSuspicion start;
    private final ActorRef<MemberTableActor.Command> table;
    private final ActorRef<GossiperActor.Command> gossiper;
    private final Suspicion core;

    private SuspicionActor(
            ActorContext<Command> ctx,
            TimerScheduler<Command> timers,
            Effect.StartSuspicion start,
            ActorRef<MemberTableActor.Command> table,
            ActorRef<GossiperActor.Command> gossiper) {
        super(ctx);
        this.timers = timers;
        this.start = start;
        this.table = table;
        this.gossiper = gossiper;
        long now = System.nanoTime();
        this.core = new Suspicion(start.from(), start.confirmationsNeeded(), start.minNanos(), start.maxNanos(), now);
        expireIn(core.remaining(now));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Confirm.class, this::onConfirm)
                .onMessageEquals(Expire.INSTANCE, this::onExpire)
                .build();
    }

    private Behavior<Command> onConfirm(Confirm c) {
        OptionalLong remaining = core.confirm(c.message().from(), System.nanoTime());
        if (remaining.isPresent()) {
            gossiper.tell(new GossiperActor.Queue(new Effect.Broadcast(start.node(), c.message(), null)));
            expireIn(remaining.getAsLong());
        }
        return this;
    }

    private Behavior<Command> onExpire() {
        table.tell(new MemberTableActor.SuspicionExpired(
                start.node(),
                start.incarnation(),
                core.confirmations(),
                getContext().getSelf()));
        return Behaviors.stopped();
    }

    private void expireIn(long nanos) {
        timers.startSingleTimer(Expire.INSTANCE, Expire.INSTANCE, Duration.ofNanos(nanos));
    }
}
