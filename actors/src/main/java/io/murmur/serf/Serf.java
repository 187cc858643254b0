package io.murmur.serf;

import io.murmur.membership.JoinResult;
import io.murmur.membership.MemberEvent;
import io.murmur.membership.Node;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.SerfMessage;
import io.murmur.protocol.Tags;
import io.murmur.serf.coordinate.Coordinate;
import io.murmur.store.snapshot.SnapshotRecord;
import io.murmur.transport.Transport;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * A serf node: membership plus Serf's member statuses and tags, user events, queries, reaping and reconnects. Spawn it
 * in your own actor system; it spawns its membership {@link Node} as a child and owns the transport.
 *
 * <pre>{@code
 * ActorRef<Serf.Command> serf = ctx.spawn(Serf.create(SerfSettings.of(nodeSettings).withTags(tags), transport), "serf");
 * serf.tell(new Serf.Subscribe(events));
 * serf.tell(new Serf.Join(List.of(seed), false, joined));
 * serf.tell(new Serf.UserEvent("deploy", Bytes.utf8("v42"), false, ack));
 * }</pre>
 */
public final class Serf extends AbstractBehavior<Serf.Command> {

    /** The serf node's protocol. */
    public sealed interface Command {}

    /** Joins through {@code seeds}; with {@code ignoreOld} the user events the cluster already had are not replayed. */
    public record Join(List<Address> seeds, boolean ignoreOld, ActorRef<JoinResult> replyTo) implements Command {
        public Join {
            seeds = List.copyOf(seeds);
        }
    }

    /**
     * Leaves gracefully (Serf's sequence): status leaving, the leave intent broadcast (waiting at most
     * {@code broadcast-timeout}), the membership leave, then {@code leave-propagate-delay} for it to spread.
     */
    public record Leave(ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** The members as this node sees them, this node included. */
    public record GetMembers(ActorRef<List<SerfMember>> replyTo) implements Command {}

    /** Replaces this node's tags; the cluster sees a member-update. */
    public record SetTags(Map<String, String> tags, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** Fires a user event; an error reply when name plus payload exceed {@code user-event-size-limit}. */
    public record UserEvent(String name, Bytes payload, boolean coalesce, ActorRef<StatusReply<Done>> replyTo)
            implements Command {}

    /** Starts a query; acks and responses stream to {@code replyTo}, then one {@link QueryReply.Done}. */
    public record Query(String name, Bytes payload, QueryParams params, ActorRef<QueryReply> replyTo)
            implements Command {}

    /** Answers a query this node was given (once, before its deadline). */
    public record Respond(SerfEvent.Query query, Bytes payload, ActorRef<StatusReply<Done>> replyTo)
            implements Command {}

    /** Serf's force-leave: {@code node} (usually failed) becomes left; with {@code prune} it is forgotten at once. */
    public record ForceLeave(String node, boolean prune, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** Events (after coalescing) to an actor, from now on. */
    public record Subscribe(ActorRef<SerfEvent> subscriber) implements Command {}

    /** The membership node underneath, for what the serf layer does not cover. */
    public record GetNode(ActorRef<ActorRef<Node.Command>> replyTo) implements Command {}

    /** This node's network coordinate, or the last one {@code node} reported; empty when unknown. */
    public record GetCoordinate(String node, ActorRef<Optional<Coordinate>> replyTo) implements Command {}

    /** The round trip between two members estimated from their coordinates; empty when either is unknown. */
    public record EstimateRtt(String a, String b, ActorRef<Optional<Duration>> replyTo) implements Command {}

    /**
     * Serf's key management: install, use, remove or list keys on every member (an internal query), with each
     * member's result; {@code key} is null for list.
     */
    public record KeyOperation(KeyCommands.Op op, byte[] key, ActorRef<KeyCommands.KeyResponse> replyTo)
            implements Command {}

    /** Counters: messages dropped, duplicates, queries in flight. */
    public record GetStats(ActorRef<SerfStats> replyTo) implements Command {}

    /**
     * Serf's own stats (health score, Lamport times, queue depths, coordinate resets); none if the membership node
     * underneath does not answer within {@link #TIMEOUT}: ask for that long and a little more, never much longer.
     */
    public record GetInfo(ActorRef<SerfInfo> replyTo) implements Command {
        /** How long the membership node's part of the answer is waited for; after that no reply comes. */
        public static final Duration TIMEOUT = Duration.ofSeconds(5);
    }

    private record MembershipEvent(MemberEvent event) implements Command {}

    private record Message(Node.UserMessageReceived message) implements Command {}

    private record RemoteState(Node.RemoteUserState state) implements Command {}

    private record Probed(Node.ProbeAcked probe) implements Command {}

    private record Deliver(SerfEvent event) implements Command {}

    private record SubscriberGone(ActorRef<SerfEvent> subscriber) implements Command {}

    private record Conflict(Node.NameConflict conflict) implements Command {}

    private record ConflictVote(QueryReply reply) implements Command {}

    private record Joined(JoinResult result, boolean ignoreOld, ActorRef<JoinResult> replyTo) implements Command {}

    private record TimerFired(Object key) implements Command {}

    private enum Tick {
        REAP,
        RECONNECT,
        PUSH_STATE
    }

    /**
     * The serf node's behavior over {@code transport}, which it owns from now on. A failure inside it (a bug) drops
     * the message that caused it and keeps the node's state, as the membership actors do.
     */
    public static Behavior<Command> create(SerfSettings settings, Transport transport) {
        return resumeOnFailure(
                Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Serf(ctx, timers, settings, transport))));
    }

    static <T> Behavior<T> resumeOnFailure(Behavior<T> behavior) {
        return Behaviors.supervise(behavior)
                .onFailure(RuntimeException.class, org.apache.pekko.actor.typed.SupervisorStrategy.resume());
    }

    private final TimerScheduler<Command> timers;
    private final SerfSettings settings;
    private final SerfConfig config;
    private final String self;
    private final ActorRef<Node.Command> node;
    private final SerfWire wire;
    private final SerfCore core;
    private final Set<ActorRef<SerfEvent>> subscribers = new HashSet<>();
    private final ActorRef<EventCoalescer.Command> coalescer;
    private final Coordinates coordinates;
    private final ActorRef<Snapshotter.Command> snapshotter;
    private final ActorRef<KeyManager.Command> keys;
    private final SerfStats.Counters counters = new SerfStats.Counters();
    private int ignoreOldJoins;
    private NameConflictVote vote;

    private Serf(
            ActorContext<Command> ctx, TimerScheduler<Command> timers, SerfSettings settings, Transport transport) {
        super(ctx);
        this.timers = timers;
        this.settings = settings;
        this.config = settings.serf();
        this.self = settings.name();
        java.util.SplittableRandom random =
                new java.util.SplittableRandom(settings.node().seed() ^ 0x5E4F);
        this.core = new SerfCore(self, transport.localAddress(), config, settings.tags(), random.split());
        this.node =
                ctx.spawn(Node.create(settings.node().withMeta(Tags.encode(settings.tags())), transport), "membership");
        this.wire = new SerfWire(
                self,
                transport.localAddress(),
                node,
                config.broadcastTransmits(),
                counters,
                random.split(),
                ctx.getLog());
        this.coalescer = ctx.spawn(
                resumeOnFailure(EventCoalescer.create(
                        ctx.messageAdapter(SerfEvent.class, Deliver::new),
                        new EventCoalescer.Periods(config.coalescePeriod(), config.quiescentPeriod()),
                        new EventCoalescer.Periods(config.userCoalescePeriod(), config.userQuiescentPeriod()))),
                "coalescer");
        this.coordinates = config.coordinates() ? new Coordinates(self, random.split()) : null;
        if (coordinates != null) {
            node.tell(new Node.SetAckPayload(coordinates.ackPayload()));
            node.tell(new Node.SubscribeProbes(ctx.messageAdapter(Node.ProbeAcked.class, Probed::new)));
        }
        this.snapshotter = settings.snapshotPath() == null ? null : Snapshotter.restore(ctx, settings, core);
        this.keys = ctx.spawn(
                resumeOnFailure(KeyManager.create(
                        ctx.getSelf(),
                        settings.keyring() != null
                                ? settings.keyring()
                                : settings.node().security().keyring(),
                        settings.fileSystem(),
                        settings.keyringPath())),
                "keys");
        ctx.watch(node);
        node.tell(new Node.Subscribe(ctx.messageAdapter(MemberEvent.class, MembershipEvent::new), true));
        node.tell(new Node.SubscribeMessages(ctx.messageAdapter(Node.UserMessageReceived.class, Message::new)));
        node.tell(new Node.SubscribePushPullState(ctx.messageAdapter(Node.RemoteUserState.class, RemoteState::new)));
        node.tell(new Node.SubscribeConflicts(ctx.messageAdapter(Node.NameConflict.class, Conflict::new)));
        timers.startTimerWithFixedDelay(Tick.REAP, new TimerFired(Tick.REAP), config.reapInterval());
        timers.startTimerWithFixedDelay(Tick.RECONNECT, new TimerFired(Tick.RECONNECT), config.reconnectInterval());
        timers.startTimerWithFixedDelay(Tick.PUSH_STATE, new TimerFired(Tick.PUSH_STATE), Duration.ofMillis(250));
        run(core.start());
        pushState();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(MembershipEvent.class, m -> run(core.onMemberEvent(m.event(), System.nanoTime())))
                .onMessage(Message.class, this::onMessage)
                .onMessage(RemoteState.class, this::onRemoteState)
                .onMessage(Deliver.class, m -> {
                    subscribers.forEach(sub -> sub.tell(m.event()));
                    return this;
                })
                .onMessage(KeyOperation.class, m -> {
                    keys.tell(new KeyManager.Run(m.op(), m.key(), m.replyTo()));
                    return this;
                })
                .onMessage(Conflict.class, this::onConflict)
                .onMessage(ConflictVote.class, this::onConflictVote)
                .onMessage(Probed.class, m -> {
                    Node.ProbeAcked p = m.probe();
                    if (coordinates != null && coordinates.onProbe(p.node(), p.rttNanos(), p.payload())) {
                        node.tell(new Node.SetAckPayload(coordinates.ackPayload()));
                    }
                    return this;
                })
                .onMessage(GetCoordinate.class, m -> {
                    m.replyTo().tell(coordinates == null ? Optional.empty() : coordinates.get(m.node()));
                    return this;
                })
                .onMessage(EstimateRtt.class, m -> {
                    m.replyTo().tell(coordinates == null ? Optional.empty() : coordinates.estimate(m.a(), m.b()));
                    return this;
                })
                .onMessage(TimerFired.class, this::onTimer)
                .onMessage(Join.class, this::onJoin)
                .onMessage(Joined.class, m -> {
                    if (m.ignoreOld()) {
                        ignoreOldJoins--;
                    }
                    m.replyTo().tell(m.result());
                    return this;
                })
                .onMessage(Leave.class, this::onLeave)
                .onMessage(GetMembers.class, m -> {
                    m.replyTo().tell(core.members.members());
                    return this;
                })
                .onMessage(SetTags.class, this::onSetTags)
                .onMessage(UserEvent.class, this::onUserEvent)
                .onMessage(Query.class, this::onQuery)
                .onMessage(Respond.class, this::onRespond)
                .onMessage(ForceLeave.class, m -> {
                    run(core.forceLeave(m.node(), m.prune(), System.nanoTime()));
                    m.replyTo().tell(StatusReply.ack());
                    return this;
                })
                .onMessage(Subscribe.class, m -> {
                    if (subscribers.add(m.subscriber())) {
                        getContext().watchWith(m.subscriber(), new SubscriberGone(m.subscriber()));
                    }
                    return this;
                })
                .onMessage(SubscriberGone.class, m -> {
                    subscribers.remove(m.subscriber());
                    return this;
                })
                .onMessage(GetNode.class, m -> {
                    m.replyTo().tell(node);
                    return this;
                })
                .onMessage(GetStats.class, m -> {
                    m.replyTo()
                            .tell(counters.snapshot(
                                    core.queries.inFlight(), core.events.duplicates(), core.queries.duplicates()));
                    return this;
                })
                .onMessage(GetInfo.class, m -> {
                    OptionalLong resets =
                            coordinates == null ? OptionalLong.empty() : OptionalLong.of(coordinates.resets());
                    getContext().spawnAnonymous(SerfInfoRequest.create(node, core.clockTimes(), resets, m.replyTo()));
                    return this;
                })
                .onSignal(org.apache.pekko.actor.typed.Terminated.class, t -> Behaviors.stopped())
                .build();
    }

    private Behavior<Command> onMessage(Message m) {
        SerfMessage message = wire.decode(m.message());
        if (message == null) {
            return this;
        }
        if (message instanceof SerfMessage.Relay r) {
            wire.relay(r);
        } else if (message instanceof SerfMessage.PushPull) {
            wire.wrongPath(m.message().from(), message);
        } else {
            run(core.onMessage(message, System.nanoTime()));
        }
        return this;
    }

    private Behavior<Command> onRemoteState(RemoteState m) {
        SerfMessage.PushPull pp = wire.decodeState(m.state());
        if (pp == null) {
            return this;
        }
        run(core.onRemoteState(pp, m.state().join() && ignoreOldJoins > 0, System.nanoTime()));
        return this;
    }

    private Behavior<Command> onTimer(TimerFired m) {
        long now = System.nanoTime();
        if (m.key() == Tick.REAP) {
            run(core.reap(now));
        } else if (m.key() == Tick.RECONNECT) {
            run(core.reconnect());
        } else if (m.key() == Tick.PUSH_STATE) {
            if (core.stateDirty()) {
                pushState();
            }
        } else {
            run(core.onQueryTimer(m.key(), now));
        }
        return this;
    }

    private Behavior<Command> onJoin(Join join) {
        if (join.ignoreOld()) {
            ignoreOldJoins++;
        }
        ActorRef<JoinResult> adapter =
                getContext().messageAdapter(JoinResult.class, r -> new Joined(r, join.ignoreOld(), join.replyTo()));
        node.tell(new Node.Join(join.seeds(), adapter));
        return this;
    }

    /** Serf's leave: this node is leaving from now on; {@link LeaveSequence} tells the cluster and replies. */
    private Behavior<Command> onLeave(Leave m) {
        SerfMessage.LeaveIntent intent = core.leaveIntent(System.nanoTime());
        snapshot(SnapshotRecord.Leave.INSTANCE);
        getContext().spawnAnonymous(LeaveSequence.create(node, wire.encode(intent), config, m.replyTo()));
        return this;
    }

    private Behavior<Command> onSetTags(SetTags m) {
        Bytes meta;
        try {
            meta = Tags.encode(m.tags());
        } catch (IllegalArgumentException e) {
            m.replyTo().tell(StatusReply.error(e.getMessage()));
            return this;
        }
        core.tags(m.tags());
        node.tell(new Node.UpdateMeta(meta, m.replyTo()));
        return this;
    }

    private Behavior<Command> onUserEvent(UserEvent m) {
        try {
            run(core.userEvent(m.name(), m.payload(), m.coalesce()));
            m.replyTo().tell(StatusReply.ack());
        } catch (UserEvents.TooLarge e) {
            m.replyTo().tell(StatusReply.error(e.getMessage()));
        }
        return this;
    }

    private Behavior<Command> onQuery(Query m) {
        return run(core.query(
                m.name(),
                m.payload(),
                m.params(),
                m.replyTo(),
                settings.node().config().gossipInterval(),
                System.nanoTime()));
    }

    private Behavior<Command> onRespond(Respond m) {
        try {
            run(core.respond(m.query().ltime(), m.query().id(), m.payload(), System.nanoTime()));
            m.replyTo().tell(StatusReply.ack());
        } catch (IllegalStateException | IllegalArgumentException e) {
            m.replyTo().tell(StatusReply.error(e.getMessage()));
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    private Behavior<Command> run(List<SerfEffect> effects) {
        for (SerfEffect e : effects) {
            if (e instanceof SerfEffect.Emit em) {
                emit(em.event());
            } else if (e instanceof SerfEffect.Broadcast b) {
                wire.broadcast(b.message(), null);
            } else if (e instanceof SerfEffect.Send s) {
                if (s.to().equals(wire.selfAddress()) && s.message() instanceof SerfMessage.QueryResponse r) {
                    run(core.onMessage(r, System.nanoTime())); // our own answer to our own query
                } else {
                    wire.send(s.to(), s.message());
                }
            } else if (e instanceof SerfEffect.Relay r) {
                wire.relayVia(r, core.members.members());
            } else if (e instanceof SerfEffect.Reconnect r) {
                node.tell(new Node.Join(
                        List.of(r.address()), getContext().getSystem().ignoreRef()));
            } else if (e instanceof SerfEffect.Answer a) {
                ((ActorRef<QueryReply>) a.caller()).tell(a.reply());
            } else if (e instanceof SerfEffect.StartTimer t) {
                timers.startSingleTimer(t.key(), new TimerFired(t.key()), Duration.ofNanos(t.delayNanos()));
            }
        }
        return this;
    }

    /** Tees an event into the snapshot and the coordinate cache, then hands it to the coalescers. */
    private void emit(SerfEvent event) {
        if (event instanceof SerfEvent.Query q && InternalQueries.isInternal(q.name())) {
            KeyCommands.Op.fromQueryName(q.name()).ifPresent(op -> keys.tell(new KeyManager.Apply(q, op)));
            return;
        }
        if (event instanceof SerfEvent.Members m) {
            if (snapshotter != null) {
                Snapshotter.records(m).forEach(r -> snapshotter.tell(new Snapshotter.Append(r)));
            }
            if (coordinates != null && m.type() == SerfEvent.Type.MEMBER_REAP) {
                m.members().forEach(member -> coordinates.forget(member.name()));
            }
        }
        coalescer.tell(new EventCoalescer.Offer(event));
    }

    /** Serf's name-conflict resolution: when our name is claimed from elsewhere, ask the cluster who it knows. */
    private Behavior<Command> onConflict(Conflict m) {
        Node.NameConflict c = m.conflict();
        getContext()
                .getLog()
                .warn(
                        "{}: {} at {} claims the name of {} at {}",
                        self,
                        c.claimant().name(),
                        c.claimant().address(),
                        c.existing().name(),
                        c.existing().address());
        if (!c.existing().name().equals(self) || vote != null) {
            return this;
        }
        vote = new NameConflictVote(wire.selfAddress().toString());
        ActorRef<QueryReply> votes = getContext().messageAdapter(QueryReply.class, ConflictVote::new);
        return onQuery(new Query(InternalQueries.CONFLICT, Bytes.utf8(self), QueryParams.all(), votes));
    }

    private Behavior<Command> onConflictVote(ConflictVote m) {
        if (m.reply() instanceof QueryReply.Response r) {
            vote.count(r.payload());
        } else if (m.reply() instanceof QueryReply.Done || m.reply() instanceof QueryReply.Rejected) {
            NameConflictVote done = vote;
            vote = null;
            String tally = done.ours() + " of " + done.answers() + " members know this node's address";
            if (!done.keepsName()) {
                getContext().getLog().error("{}: lost the name conflict ({}); shutting down", self, tally);
                return Behaviors.stopped();
            }
            getContext().getLog().info("{}: kept its name ({})", self, tally);
        }
        return this;
    }

    private void snapshot(SnapshotRecord record) {
        if (snapshotter != null) {
            snapshotter.tell(new Snapshotter.Append(record));
        }
    }

    private void pushState() {
        node.tell(new Node.SetPushPullState(wire.encodeState(core.localState())));
    }
}
