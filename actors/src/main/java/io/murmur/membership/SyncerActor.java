package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Decoded;
import io.murmur.protocol.Message.PushPull;
import io.murmur.protocol.WireSecurity;
import io.murmur.transport.Transport;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** Runs a {@link Syncer}: push/pull exchanges over the transport's reliable path, joins and seed re-joins. */
final class SyncerActor extends AbstractBehavior<SyncerActor.Command> {

    sealed interface Command {}

    record Wire(Siblings siblings) implements Command {}

    record Join(List<Address> seeds, ActorRef<JoinResult> replyTo) implements Command {}

    record Changed(Effect.Changed change) implements Command {}

    /** A peer's push/pull; complete {@code reply} with the encoded answer. */
    record InboundRequest(Address from, PushPull message, CompletableFuture<byte[]> reply) implements Command {}

    /** What this node's push/pulls carry for the layer above membership from now on. */
    record SetUserState(io.murmur.protocol.Bytes state) implements Command {}

    /** The user state of every push/pull this node takes part in, to {@code listener}. */
    record ListenUserState(ActorRef<Node.RemoteUserState> listener) implements Command {}

    /** The prober's probe of {@code node} was acked by a node whose table holds {@code members} members. */
    record ProbeAcked(String node, int members) implements Command {}

    private record ExchangeDone(Address peer, Object tag, byte[] response, Throwable failure) implements Command {}

    private record RetryJoin(JoinAttempt attempt, Address seed) implements Command {}

    private record JoinDeadline(JoinAttempt attempt) implements Command {}

    private record TimerFired(TimerKey key) implements Command {}

    /** A join in progress: which seeds are still to answer, and how often each has failed. */
    private static final class JoinAttempt {
        final ActorRef<JoinResult> replyTo;
        final LinkedHashSet<Address> pending;
        final Map<Address, String> failures = new LinkedHashMap<>();
        final Map<Address, Integer> attempts = new HashMap<>();
        final long deadline;
        int joined;
        boolean finished;

        JoinAttempt(ActorRef<JoinResult> replyTo, List<Address> seeds, long deadline) {
            this.replyTo = replyTo;
            this.pending = new LinkedHashSet<>(seeds);
            this.deadline = deadline;
        }

        /**
         * Answers through the member table, after the states it was sent from this join: a caller that hears the
         * join succeeded then finds the members it learned in the table, and subscribers heard of them first.
         */
        void finish(ActorRef<MemberTableActor.Command> table) {
            finished = true;
            table.tell(new MemberTableActor.JoinAnswer(replyTo, new JoinResult(joined, failures)));
        }
    }

    static Behavior<Command> create(
            Syncer core, Transport transport, Codec codec, WireSecurity security, Duration timeout) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Wiring.awaitSiblings(
                Command.class,
                m -> m instanceof Wire w ? w.siblings() : null,
                siblings -> new SyncerActor(ctx, timers, core, siblings, transport, codec, security, timeout))));
    }

    private final TimerScheduler<Command> timers;
    private final Syncer core;
    private final Siblings siblings;
    private final Transport transport;
    private final Codec codec;
    private final WireSecurity security;
    private final Duration timeout;
    private ActorRef<Node.RemoteUserState> userStateListener;

    private SyncerActor(
            ActorContext<Command> ctx,
            TimerScheduler<Command> timers,
            Syncer core,
            Siblings siblings,
            Transport transport,
            Codec codec,
            WireSecurity security,
            Duration timeout) {
        super(ctx);
        this.security = security;
        this.timers = timers;
        this.core = core;
        this.siblings = siblings;
        this.transport = transport;
        this.codec = codec;
        this.timeout = timeout;
        run(core.start(System.nanoTime()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Join.class, this::onJoin)
                .onMessage(Changed.class, m -> run(core.onChange(m.change())))
                .onMessage(SetUserState.class, m -> {
                    core.userState(m.state());
                    return this;
                })
                .onMessage(ListenUserState.class, m -> {
                    userStateListener = m.listener();
                    return this;
                })
                .onMessage(InboundRequest.class, this::onInboundRequest)
                .onMessage(ExchangeDone.class, this::onExchangeDone)
                .onMessage(ProbeAcked.class, m -> run(core.onProbeAcked(m.node(), m.members(), System.nanoTime())))
                .onMessage(RetryJoin.class, m -> {
                    if (!m.attempt().finished) {
                        exchange(new Effect.Request(m.seed(), core.localState(true), m.attempt()));
                    }
                    return this;
                })
                .onMessage(JoinDeadline.class, m -> {
                    JoinAttempt attempt = m.attempt();
                    if (!attempt.finished) {
                        for (Address seed : attempt.pending) {
                            attempt.failures.putIfAbsent(seed, "no answer within the join's deadline");
                        }
                        attempt.finish(siblings.table());
                    }
                    return this;
                })
                .onMessage(TimerFired.class, m -> run(core.onTimer(m.key(), System.nanoTime())))
                .build();
    }

    private Behavior<Command> onJoin(Join join) {
        List<Address> seeds = List.copyOf(new LinkedHashSet<>(join.seeds()));
        if (seeds.isEmpty()) {
            join.replyTo().tell(new JoinResult(0, Map.of()));
            return this;
        }
        long deadline = core.joinDeadlineNanos();
        JoinAttempt attempt = new JoinAttempt(join.replyTo(), seeds, System.nanoTime() + deadline);
        timers.startSingleTimer(new JoinDeadline(attempt), new JoinDeadline(attempt), Duration.ofNanos(deadline));
        return run(core.join(seeds, attempt));
    }

    private Behavior<Command> onInboundRequest(InboundRequest request) {
        Syncer.Reply reply;
        try {
            reply = core.onRequest(request.message());
            forwardUserState(request.from(), request.message(), false);
            request.reply().complete(codec.frame(reply.response()));
        } catch (RuntimeException e) {
            // A table too large to encode, say: the peer gets no answer, and the request no longer counts as open.
            request.reply().completeExceptionally(e);
            throw e;
        }
        return run(reply.effects());
    }

    private Behavior<Command> onExchangeDone(ExchangeDone done) {
        String failure = null;
        if (done.failure() != null) {
            failure = String.valueOf(done.failure().getMessage());
        } else {
            WireSecurity.Opened opened = security.openStream(done.response());
            Decoded decoded = opened instanceof WireSecurity.Opened.Frame f
                    ? codec.decodeStream(f.bytes())
                    : new Decoded.Rejected(
                            ((WireSecurity.Opened.Rejected) opened).reason(),
                            ((WireSecurity.Opened.Rejected) opened).detail());
            if (decoded instanceof Decoded.Ok ok && ok.message() instanceof PushPull remote) {
                run(core.onResponse(done.peer(), remote));
                forwardUserState(done.peer(), remote, done.tag() instanceof JoinAttempt);
            } else {
                failure = "bad push/pull response: " + decoded;
            }
        }
        if (failure != null) {
            getContext().getLog().debug("{}: push/pull with {} failed: {}", core.self(), done.peer(), failure);
        }
        if (done.tag() instanceof JoinAttempt attempt && !attempt.finished) {
            if (failure != null) {
                int failed = attempt.attempts.merge(done.peer(), 1, Integer::sum);
                long delay = core.joinRetryDelay(failed, attempt.deadline - System.nanoTime());
                if (delay >= 0) {
                    timers.startSingleTimer(
                            new RetryJoin(attempt, done.peer()),
                            new RetryJoin(attempt, done.peer()),
                            Duration.ofNanos(delay));
                    return this;
                }
            }
            attempt.pending.remove(done.peer());
            if (failure == null) {
                attempt.joined++;
            } else {
                attempt.failures.put(done.peer(), failure);
            }
            if (attempt.pending.isEmpty()) {
                timers.cancel(new JoinDeadline(attempt));
                attempt.finish(siblings.table());
            }
        }
        return this;
    }

    private void forwardUserState(Address from, PushPull message, boolean join) {
        if (userStateListener != null && message.userState().size() > 0) {
            userStateListener.tell(new Node.RemoteUserState(from, join, message.userState()));
        }
    }

    private Behavior<Command> run(List<Effect> effects) {
        for (Effect e : effects) {
            if (e instanceof Effect.Request r) {
                exchange(r);
            } else if (e instanceof Effect.Apply a) {
                siblings.table().tell(new MemberTableActor.Apply(a.update(), a.merged()));
            } else if (e instanceof Effect.StartTimer t) {
                timers.startSingleTimer(t.key(), new TimerFired(t.key()), Duration.ofNanos(t.delayNanos()));
            } else {
                throw new IllegalStateException("syncer cannot carry out " + e);
            }
        }
        return this;
    }

    private void exchange(Effect.Request r) {
        byte[] request;
        try {
            request = security.seal(codec.frame(r.message()));
        } catch (IllegalArgumentException tooLarge) {
            getContext().getSelf().tell(new ExchangeDone(r.to(), r.tag(), null, tooLarge));
            return;
        }
        getContext()
                .pipeToSelf(
                        transport.request(r.to(), request, timeout),
                        (response, failure) -> new ExchangeDone(r.to(), r.tag(), response, failure));
    }
}
