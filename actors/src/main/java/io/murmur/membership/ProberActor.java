package io.murmur.membership;

import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Ack;
import io.murmur.protocol.Message.IndirectPing;
import io.murmur.protocol.Message.Nack;
import io.murmur.protocol.Message.Ping;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** Runs a {@link Prober}: failure detection by direct and indirect probes. */
final class ProberActor extends AbstractBehavior<ProberActor.Command> {

    sealed interface Command {}

    record Wire(Siblings siblings) implements Command {}

    /** A ping, indirect ping, ack or nack from the network, and who sent it. */
    record Inbound(io.murmur.protocol.Address from, Message message) implements Command {}

    record Changed(Effect.Changed change) implements Command {}

    record AdjustHealth(int delta) implements Command {}

    record GetHealth(ActorRef<Integer> replyTo) implements Command {}

    /** The payload of this node's acks from now on. */
    record SetAckPayload(io.murmur.protocol.Bytes payload) implements Command {}

    /** Each answered direct probe to {@code listener} (null: to nobody). */
    record ListenProbes(ActorRef<Node.ProbeAcked> listener) implements Command {}

    private record TimerFired(TimerKey key) implements Command {}

    static Behavior<Command> create(Prober core) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Wiring.awaitSiblings(
                Command.class,
                m -> m instanceof Wire w ? w.siblings() : null,
                siblings -> new ProberActor(ctx, timers, core, siblings))));
    }

    /** Serf's coordinates and the agent's metrics both listen, so a list rather than one listener. */
    private final List<ActorRef<Node.ProbeAcked>> probeListeners = new java.util.ArrayList<>();

    private final TimerScheduler<Command> timers;
    private final Prober core;
    private final Siblings siblings;

    private ProberActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, Prober core, Siblings siblings) {
        super(ctx);
        this.timers = timers;
        this.core = core;
        this.siblings = siblings;
        run(core.start(System.nanoTime()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Inbound.class, this::onInbound)
                .onMessage(Changed.class, m -> {
                    core.onChange(m.change());
                    return this;
                })
                .onMessage(AdjustHealth.class, m -> {
                    core.adjustHealth(m.delta());
                    return this;
                })
                .onMessage(SetAckPayload.class, m -> {
                    core.ackPayload(m.payload());
                    return this;
                })
                .onMessage(ListenProbes.class, m -> {
                    probeListeners.add(m.listener());
                    return this;
                })
                .onMessage(GetHealth.class, m -> {
                    m.replyTo().tell(core.healthScore());
                    return this;
                })
                .onMessage(TimerFired.class, m -> run(core.onTimer(m.key(), System.nanoTime())))
                .build();
    }

    private Behavior<Command> onInbound(Inbound in) {
        Message m = in.message();
        if (m instanceof Ping p) {
            return run(core.onPing(p));
        } else if (m instanceof IndirectPing r) {
            return run(core.onIndirectPing(r));
        } else if (m instanceof Ack a) {
            return run(core.onAck(a, System.nanoTime()));
        } else if (m instanceof Nack n) {
            return run(core.onNack(n, in.from()));
        }
        throw new IllegalArgumentException("not a probe message: " + m);
    }

    private Behavior<Command> run(List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Effect.Send s) {
                siblings.gossiper().tell(new GossiperActor.Send(s));
            } else if (e instanceof Effect.Apply a) {
                siblings.table().tell(new MemberTableActor.Apply(a.update()));
            } else if (e instanceof Effect.StartTimer t) {
                timers.startSingleTimer(t.key(), new TimerFired(t.key()), Duration.ofNanos(t.delayNanos()));
            } else if (e instanceof Effect.CancelTimer t) {
                timers.cancel(t.key());
            } else if (e instanceof Effect.ProbeAcked a) {
                Node.ProbeAcked acked = new Node.ProbeAcked(a.node(), a.rttNanos(), a.payload());
                probeListeners.forEach(l -> l.tell(acked));
                siblings.syncer().tell(new SyncerActor.ProbeAcked(a.node(), a.members()));
            } else {
                throw new IllegalStateException("prober cannot carry out " + e);
            }
        }
        return this;
    }
}
