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
 * The suspicion of one member, a child of the member table: runs a {@link Suspicion}, reports each new independent
 * confirmation to the table (which gossips it on if the member is still suspect), and tells the table when the
 * timeout runs out. The table stops it when the member refutes or is declared dead by someone else.
 */
final class SuspicionActor extends AbstractBehavior<SuspicionActor.Command> {

    sealed interface Command {}

    record Confirm(Suspect message) implements Command {}

    private enum Expire implements Command {
        INSTANCE
    }

    static Behavior<Command> create(Effect.StartSuspicion start, ActorRef<MemberTableActor.Command> table) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new SuspicionActor(ctx, timers, start, table)));
    }

    private final TimerScheduler<Command> timers;
    private final Effect.StartSuspicion start;
    private final ActorRef<MemberTableActor.Command> table;
    private final Suspicion core;

    private SuspicionActor(
            ActorContext<Command> ctx,
            TimerScheduler<Command> timers,
            Effect.StartSuspicion start,
            ActorRef<MemberTableActor.Command> table) {
        super(ctx);
        this.timers = timers;
        this.start = start;
        this.table = table;
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
            table.tell(new MemberTableActor.ConfirmationCounted(c.message()));
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
