package io.murmur.membership;

import io.murmur.protocol.Bytes;
import io.murmur.protocol.WireSecurity;
import io.murmur.transport.Transport;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** Runs a {@link Gossiper}: every outgoing packet goes through it, and it runs the gossip rounds. */
final class GossiperActor extends AbstractBehavior<GossiperActor.Command> {

    sealed interface Command {}

    /** Send messages in one packet, with broadcasts piggy-backed. */
    record Send(Effect.Send send) implements Command {}

    record Queue(Effect.Broadcast broadcast) implements Command {}

    /**
     * A user broadcast; {@code sent} (when not null) hears once it has been sent its number of times; {@code kind}
     * (null: none) labels it in the {@link QueueDepths}.
     */
    record QueueUser(Bytes payload, ActorRef<Done> sent, int transmitMultiple, String kind) implements Command {}

    record Changed(Effect.Changed change) implements Command {}

    record GetQueueDepths(ActorRef<QueueDepths> replyTo) implements Command {}

    private record TimerFired(TimerKey key) implements Command {}

    static Behavior<Command> create(Gossiper core, Transport transport, WireSecurity security) {
        return Behaviors.setup(
                ctx -> Behaviors.withTimers(timers -> new GossiperActor(ctx, timers, core, transport, security)));
    }

    private final TimerScheduler<Command> timers;
    private final Gossiper core;
    private final Transport transport;
    private final WireSecurity security;

    private GossiperActor(
            ActorContext<Command> ctx,
            TimerScheduler<Command> timers,
            Gossiper core,
            Transport transport,
            WireSecurity security) {
        super(ctx);
        this.security = security;
        this.timers = timers;
        this.core = core;
        this.transport = transport;
        run(core.start(System.nanoTime()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Send.class, m -> run(core.send(m.send())))
                .onMessage(Queue.class, m -> run(core.queue(m.broadcast(), System.nanoTime())))
                .onMessage(QueueUser.class, m -> {
                    List<Effect> out = new java.util.ArrayList<>(0);
                    if (!core.queueUser(m.payload(), m.sent(), out, m.transmitMultiple(), m.kind())
                            && m.sent() != null) {
                        m.sent().tell(Done.getInstance());
                    }
                    return run(out);
                })
                .onMessage(Changed.class, m -> {
                    core.onChange(m.change());
                    return this;
                })
                .onMessage(TimerFired.class, m -> run(core.onTimer(m.key(), System.nanoTime())))
                .onMessage(GetQueueDepths.class, m -> {
                    m.replyTo()
                            .tell(new QueueDepths(core.queuedMembership(), core.queuedUser(), core.queuedUserByKind()));
                    return this;
                })
                .build();
    }

    @SuppressWarnings("unchecked")
    private Behavior<Command> run(List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Effect.Transmit t) {
                transport.send(t.to(), security.seal(t.packet()));
            } else if (e instanceof Effect.BroadcastDone d) {
                ((ActorRef<Done>) d.token()).tell(Done.getInstance());
            } else if (e instanceof Effect.StartTimer t) {
                timers.startSingleTimer(t.key(), new TimerFired(t.key()), Duration.ofNanos(t.delayNanos()));
            } else {
                throw new IllegalStateException("gossiper cannot carry out " + e);
            }
        }
        return this;
    }
}
