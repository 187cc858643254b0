package io.murmur.membership;

import io.murmur.protocol.Bytes;
import io.murmur.protocol.Message;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Runs the {@link MemberTable}: applies membership messages, keeps one {@link SuspicionActor} child per suspected
 * member, passes every change to the prober, gossiper and syncer, and tells member events to subscriber actors
 * (streams subscribe through {@link EventStreams}).
 */
final class MemberTableActor extends AbstractBehavior<MemberTableActor.Command> {

    sealed interface Command {}

    record Wire(Siblings siblings) implements Command {}

    /**
     * The syncer's answer to a join, relayed once every state it sent here before has been applied and its events told
     * to subscribers.
     */
    record JoinAnswer(ActorRef<JoinResult> to, JoinResult result) implements Command {}

    /** An alive, suspect or dead message, from the network, the prober or a push/pull. */
    record Apply(Message update, boolean merged) implements Command {
        Apply(Message update) {
            this(update, false);
        }
    }

    /** A suspicion counted a new confirmation, to be gossiped on if the member is still suspect. */
    record ConfirmationCounted(io.murmur.protocol.Message.Suspect confirmation) implements Command {}

    record SuspicionExpired(
            String node, long incarnation, int confirmations, ActorRef<SuspicionActor.Command> suspicion)
            implements Command {}

    record Leave(ActorRef<Done> whenSent) implements Command {}

    record UpdateMeta(Bytes meta, ActorRef<org.apache.pekko.pattern.StatusReply<Done>> replyTo) implements Command {}

    record GetView(ActorRef<MemberView> replyTo) implements Command {}

    /** Subscribes an actor to member events; with {@code replayCurrent}, live members come first as joins. */
    record Subscribe(ActorRef<MemberEvent> subscriber, boolean replayCurrent) implements Command {}

    record Unsubscribe(ActorRef<MemberEvent> subscriber) implements Command {}

    record SubscribeConflicts(ActorRef<Node.NameConflict> subscriber) implements Command {}

    private record TimerFired(TimerKey key) implements Command {}

    /** Runs a table that has already {@linkplain MemberTable#start started}, carrying out the start's effects. */
    static Behavior<Command> create(MemberTable core, List<Effect> startEffects) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Wiring.awaitSiblings(
                Command.class,
                m -> m instanceof Wire w ? w.siblings() : null,
                siblings -> new MemberTableActor(ctx, timers, core, siblings, startEffects))));
    }

    private final TimerScheduler<Command> timers;
    private final MemberTable core;
    private final Siblings siblings;
    private final Map<String, ActorRef<SuspicionActor.Command>> suspicions = new HashMap<>();
    private final Set<ActorRef<MemberEvent>> subscribers = new HashSet<>();
    private final Set<ActorRef<Node.NameConflict>> conflictSubscribers = new HashSet<>();
    private int suspicionSeq;

    private MemberTableActor(
            ActorContext<Command> ctx,
            TimerScheduler<Command> timers,
            MemberTable core,
            Siblings siblings,
            List<Effect> startEffects) {
        super(ctx);
        this.timers = timers;
        this.core = core;
        this.siblings = siblings;
        run(startEffects);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Apply.class, m -> run(core.apply(m.update(), System.nanoTime(), m.merged())))
                .onMessage(JoinAnswer.class, m -> {
                    m.to().tell(m.result());
                    return this;
                })
                .onMessage(SuspicionExpired.class, this::onSuspicionExpired)
                .onMessage(ConfirmationCounted.class, m -> run(core.confirmationCounted(m.confirmation())))
                .onMessage(Leave.class, m -> run(core.leave(m.whenSent(), System.nanoTime())))
                .onMessage(UpdateMeta.class, m -> {
                    run(core.updateMeta(m.meta(), System.nanoTime()));
                    m.replyTo().tell(org.apache.pekko.pattern.StatusReply.ack());
                    return this;
                })
                .onMessage(GetView.class, m -> {
                    m.replyTo().tell(core.view());
                    return this;
                })
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(SubscribeConflicts.class, m -> {
                    conflictSubscribers.add(m.subscriber());
                    return this;
                })
                .onMessage(Unsubscribe.class, m -> {
                    subscribers.remove(m.subscriber());
                    getContext().unwatch(m.subscriber());
                    return this;
                })
                .onMessage(TimerFired.class, m -> run(core.onTimer(m.key(), System.nanoTime())))
                .build();
    }

    private Behavior<Command> onSubscribe(Subscribe s) {
        if (subscribers.add(s.subscriber())) {
            getContext().watchWith(s.subscriber(), new Unsubscribe(s.subscriber()));
            if (s.replayCurrent()) {
                for (Member m : core.view().live()) {
                    s.subscriber().tell(new MemberEvent(MemberEvent.Type.JOIN, m));
                }
            }
        }
        return this;
    }

    private Behavior<Command> onSuspicionExpired(SuspicionExpired e) {
        // Only the current suspicion of that member counts; an older one may still have been on its way.
        if (e.suspicion().equals(suspicions.get(e.node()))) {
            suspicions.remove(e.node());
            List<Effect> effects = core.suspicionExpired(e.node(), e.incarnation(), System.nanoTime());
            if (!effects.isEmpty()) {
                getContext()
                        .getLog()
                        .info(
                                "{}: {} declared dead, suspicion timed out with {} confirmations",
                                core.self(),
                                e.node(),
                                e.confirmations());
            }
            run(effects);
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    private Behavior<Command> run(List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Effect.Changed c) {
                siblings.changed(c);
            } else if (e instanceof Effect.Broadcast b) {
                siblings.gossiper().tell(new GossiperActor.Queue(b));
            } else if (e instanceof Effect.Emit em) {
                emit(em.event());
            } else if (e instanceof Effect.StartSuspicion s) {
                startSuspicion(s);
            } else if (e instanceof Effect.ConfirmSuspicion c) {
                ActorRef<SuspicionActor.Command> ref = suspicions.get(c.node());
                if (ref != null) {
                    ref.tell(new SuspicionActor.Confirm(c.message()));
                }
            } else if (e instanceof Effect.StopSuspicion s) {
                ActorRef<SuspicionActor.Command> ref = suspicions.remove(s.node());
                if (ref != null) {
                    getContext().stop(ref);
                }
            } else if (e instanceof Effect.AdjustHealth h) {
                siblings.prober().tell(new ProberActor.AdjustHealth(h.delta()));
            } else if (e instanceof Effect.Send s) {
                siblings.gossiper().tell(new GossiperActor.Send(s));
            } else if (e instanceof Effect.BroadcastDone d) {
                ((ActorRef<Done>) d.token()).tell(Done.getInstance());
            } else if (e instanceof Effect.StartTimer t) {
                timers.startSingleTimer(t.key(), new TimerFired(t.key()), Duration.ofNanos(t.delayNanos()));
            } else if (e instanceof Effect.CancelTimer t) {
                timers.cancel(t.key());
            } else if (e instanceof Effect.Conflict c) {
                Node.NameConflict conflict = new Node.NameConflict(c.existing(), c.claimant());
                conflictSubscribers.forEach(s -> s.tell(conflict));
            } else {
                throw new IllegalStateException("member table cannot carry out " + e);
            }
        }
        return this;
    }

    private void startSuspicion(Effect.StartSuspicion s) {
        ActorRef<SuspicionActor.Command> old = suspicions.remove(s.node());
        if (old != null) {
            getContext().stop(old);
        }
        ActorRef<SuspicionActor.Command> ref = getContext()
                .spawn(
                        Node.resumeOnFailure(
                                SuspicionActor.create(s, getContext().getSelf())),
                        "suspicion-" + (++suspicionSeq));
        suspicions.put(s.node(), ref);
        getContext()
                .getLog()
                .debug("{}: suspects {} (incarnation {}, by {})", core.self(), s.node(), s.incarnation(), s.from());
    }

    private void emit(MemberEvent event) {
        getContext().getLog().debug("{}: {}", core.self(), event);
        for (ActorRef<MemberEvent> s : subscribers) {
            s.tell(event);
        }
    }
}
