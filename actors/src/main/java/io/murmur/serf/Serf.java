package io.murmur.serf;

import io.murmur.membership.JoinResult;
import io.murmur.membership.MemberEvent;
import io.murmur.membership.Node;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.SerfMessage;
import io.murmur.protocol.Tags;
import io.murmur.serf.coordinate.Coordinate;
import io.murmur.store.snapshot.Snapshot;
import io.murmur.store.snapshot.SnapshotReader;
import io.murmur.store.snapshot.SnapshotRecord;
import io.murmur.store.snapshot.SnapshotState;
import io.murmur.transport.Transport;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Counters: messages dropped, duplicates, queries in flight. */
    public record GetStats(ActorRef<SerfStats> replyTo) implements Command {}

    private record MembershipEvent(MemberEvent event) implements Command {}

    private record Message(Node.UserMessageReceived message) implements Command {}

    private record RemoteState(Node.RemoteUserState state) implements Command {}

    private record Probed(Node.ProbeAcked probe) implements Command {}

    private record Deliver(SerfEvent event) implements Command {}

    private record Joined(JoinResult result, boolean ignoreOld, ActorRef<JoinResult> replyTo) implements Command {}

    private record TimerFired(Object key) implements Command {}

    private record LeaveStep(int step, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    private enum Tick {
        REAP,
        RECONNECT,
        PUSH_STATE
    }

    public static Behavior<Command> create(SerfSettings settings, Transport transport) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Serf(ctx, timers, settings, transport)));
    }

    private final TimerScheduler<Command> timers;
    private final SerfSettings settings;
    private final SerfConfig config;
    private final String self;
    private final ActorRef<Node.Command> node;
    private final SerfWire wire;
    private final SerfMembers members;
    private final UserEvents events;
    private final Queries queries;
    private final Set<ActorRef<SerfEvent>> subscribers = new HashSet<>();
    private final ActorRef<EventCoalescer.Command> coalescer;
    private final Coordinates coordinates;
    private final ActorRef<Snapshotter.Command> snapshotter;
    private final SerfStats.Counters counters = new SerfStats.Counters();
    private Map<String, String> tags;
    private int ignoreOldJoins;
    private boolean stateDirty = true;

    private Serf(
            ActorContext<Command> ctx, TimerScheduler<Command> timers, SerfSettings settings, Transport transport) {
        super(ctx);
        this.timers = timers;
        this.settings = settings;
        this.config = settings.serf();
        this.self = settings.name();
        this.tags = settings.tags();
        java.util.SplittableRandom random =
                new java.util.SplittableRandom(settings.node().seed() ^ 0x5E4F);
        this.members = new SerfMembers(self, config, random.split());
        this.events = new UserEvents(config);
        this.node = ctx.spawn(Node.create(settings.node().withMeta(Tags.encode(tags)), transport), "membership");
        this.queries = new Queries(self, transport.localAddress(), config, random.split());
        this.wire = new SerfWire(self, transport.localAddress(), node, counters, random.split(), ctx.getLog());
        this.coalescer = ctx.spawn(
                EventCoalescer.create(
                        ctx.messageAdapter(SerfEvent.class, Deliver::new),
                        new EventCoalescer.Periods(config.coalescePeriod(), config.quiescentPeriod()),
                        new EventCoalescer.Periods(config.userCoalescePeriod(), config.userQuiescentPeriod())),
                "coalescer");
        this.coordinates = config.coordinates() ? new Coordinates(self, random.split()) : null;
        if (coordinates != null) {
            node.tell(new Node.SetAckPayload(coordinates.ackPayload()));
            node.tell(new Node.SubscribeProbes(ctx.messageAdapter(Node.ProbeAcked.class, Probed::new)));
        }
        this.snapshotter = settings.snapshotPath() == null ? null : restoreSnapshot(ctx);
        ctx.watch(node);
        node.tell(new Node.Subscribe(ctx.messageAdapter(MemberEvent.class, MembershipEvent::new), true));
        node.tell(new Node.SubscribeMessages(ctx.messageAdapter(Node.UserMessageReceived.class, Message::new)));
        node.tell(new Node.SubscribePushPullState(ctx.messageAdapter(Node.RemoteUserState.class, RemoteState::new)));
        timers.startTimerWithFixedDelay(Tick.REAP, new TimerFired(Tick.REAP), config.reapInterval());
        timers.startTimerWithFixedDelay(Tick.RECONNECT, new TimerFired(Tick.RECONNECT), config.reconnectInterval());
        timers.startTimerWithFixedDelay(Tick.PUSH_STATE, new TimerFired(Tick.PUSH_STATE), Duration.ofMillis(250));
        run(List.of(new SerfEffect.Broadcast(members.joinIntent())));
        pushState();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(MembershipEvent.class, m -> run(members.onMemberEvent(m.event(), System.nanoTime())))
                .onMessage(Message.class, this::onMessage)
                .onMessage(RemoteState.class, this::onRemoteState)
                .onMessage(Deliver.class, m -> {
                    subscribers.forEach(sub -> sub.tell(m.event()));
                    return this;
                })
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
                .onMessage(Leave.class, m -> onLeaveStep(new LeaveStep(0, m.replyTo())))
                .onMessage(LeaveStep.class, this::onLeaveStep)
                .onMessage(GetMembers.class, m -> {
                    m.replyTo().tell(members.members());
                    return this;
                })
                .onMessage(SetTags.class, this::onSetTags)
                .onMessage(UserEvent.class, this::onUserEvent)
                .onMessage(Query.class, this::onQuery)
                .onMessage(Respond.class, this::onRespond)
                .onMessage(ForceLeave.class, m -> {
                    run(members.forceLeave(m.node(), m.prune(), System.nanoTime()));
                    m.replyTo().tell(StatusReply.ack());
                    return this;
                })
                .onMessage(Subscribe.class, m -> {
                    subscribers.add(m.subscriber());
                    return this;
                })
                .onMessage(GetNode.class, m -> {
                    m.replyTo().tell(node);
                    return this;
                })
                .onMessage(GetStats.class, m -> {
                    m.replyTo().tell(counters.snapshot(queries.inFlight(), events.duplicates(), queries.duplicates()));
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
        long now = System.nanoTime();
        if (message instanceof SerfMessage.JoinIntent j) {
            if (members.onJoinIntent(j, now)) {
                wire.rebroadcast(m.message().payload());
                stateDirty = true;
            }
        } else if (message instanceof SerfMessage.LeaveIntent l) {
            List<SerfEffect> out = new java.util.ArrayList<>();
            if (members.onLeaveIntent(l, now, out)) {
                wire.rebroadcast(m.message().payload());
                stateDirty = true;
            }
            run(out);
        } else if (message instanceof SerfMessage.UserEvent e) {
            events.receive(e).ifPresent(news -> {
                wire.rebroadcast(m.message().payload());
                emit(toEvent(news));
                stateDirty = true;
            });
        } else if (message instanceof SerfMessage.Query q) {
            run(queries.onQuery(q, tags, now));
        } else if (message instanceof SerfMessage.QueryResponse r) {
            run(queries.onResponse(r));
        } else if (message instanceof SerfMessage.Relay r) {
            wire.relay(r);
        } else {
            wire.wrongPath(m.message().from(), message);
        }
        return this;
    }

    private Behavior<Command> onRemoteState(RemoteState m) {
        SerfMessage.PushPull pp = wire.decodeState(m.state());
        if (pp == null) {
            return this;
        }
        long now = System.nanoTime();
        run(members.merge(pp.ltime(), pp.statusLTimes(), pp.leftMembers(), now));
        boolean ignoreOld = m.state().join() && ignoreOldJoins > 0;
        for (SerfMessage.UserEvent news : events.merge(pp.eventLTime(), pp.events(), ignoreOld)) {
            emit(toEvent(news));
        }
        if (pp.queryLTime() > 0) {
            queries.clock().witness(pp.queryLTime() - 1);
        }
        stateDirty = true;
        return this;
    }

    private Behavior<Command> onTimer(TimerFired m) {
        long now = System.nanoTime();
        if (m.key() == Tick.REAP) {
            run(members.reap(now));
        } else if (m.key() == Tick.RECONNECT) {
            run(members.reconnect());
        } else if (m.key() == Tick.PUSH_STATE) {
            if (stateDirty) {
                pushState();
            }
        } else {
            run(queries.onTimer(m.key(), now));
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

    /** Serf's leave: 0 intent out, 1 intent sent (or timed out), 2 membership left, 3 propagated. */
    private Behavior<Command> onLeaveStep(LeaveStep step) {
        switch (step.step()) {
            case 0 -> {
                SerfMessage.LeaveIntent intent = members.leaveIntent(System.nanoTime());
                stateDirty = true;
                snapshot(SnapshotRecord.Leave.INSTANCE);
                ActorRef<Done> sent = getContext().messageAdapter(Done.class, d -> new LeaveStep(1, step.replyTo()));
                wire.broadcast(intent, sent);
                timers.startSingleTimer("leave-intent", new LeaveStep(1, step.replyTo()), config.broadcastTimeout());
            }
            case 1 -> {
                if (!timers.isTimerActive("leave-intent")) {
                    return this; // the timeout after the broadcast went out, or the other way round
                }
                timers.cancel("leave-intent");
                getContext()
                        .ask(
                                StatusReply.class,
                                node,
                                config.broadcastTimeout().plusSeconds(1),
                                (ActorRef<StatusReply> r) -> new Node.Leave(config.broadcastTimeout(), castReply(r)),
                                (r, failure) -> new LeaveStep(2, step.replyTo()));
            }
            case 2 ->
                timers.startSingleTimer(
                        "leave-propagate", new LeaveStep(3, step.replyTo()), config.leavePropagateDelay());
            default -> step.replyTo().tell(StatusReply.ack());
        }
        return this;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ActorRef<StatusReply<Done>> castReply(ActorRef<StatusReply> ref) {
        return (ActorRef) ref;
    }

    private Behavior<Command> onSetTags(SetTags m) {
        Bytes meta;
        try {
            meta = Tags.encode(m.tags());
        } catch (IllegalArgumentException e) {
            m.replyTo().tell(StatusReply.error(e.getMessage()));
            return this;
        }
        tags = Map.copyOf(m.tags());
        node.tell(new Node.UpdateMeta(meta, m.replyTo()));
        return this;
    }

    private Behavior<Command> onUserEvent(UserEvent m) {
        SerfMessage.UserEvent event;
        try {
            event = events.fire(m.name(), m.payload(), m.coalesce());
        } catch (UserEvents.TooLarge e) {
            m.replyTo().tell(StatusReply.error(e.getMessage()));
            return this;
        }
        emit(toEvent(event));
        wire.broadcast(event, null);
        stateDirty = true;
        m.replyTo().tell(StatusReply.ack());
        return this;
    }

    private Behavior<Command> onQuery(Query m) {
        Duration timeout = m.params().timeout().isZero()
                ? config.defaultQueryTimeout(settings.node().config().gossipInterval(), members.aliveCount())
                : m.params().timeout();
        int size = m.name().length() + m.payload().size();
        if (size > config.querySizeLimit()) {
            m.replyTo()
                    .tell(new QueryReply.Rejected("query is " + size
                            + " bytes (name plus payload), more than the limit of " + config.querySizeLimit()));
            return this;
        }
        return run(queries.start(
                m.name(),
                m.payload(),
                m.params(),
                m.replyTo(),
                members.members(),
                timeout.toNanos(),
                System.nanoTime()));
    }

    private Behavior<Command> onRespond(Respond m) {
        try {
            run(queries.respond(m.query().ltime(), m.query().id(), m.payload(), System.nanoTime()));
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
                stateDirty = true;
            } else if (e instanceof SerfEffect.Send s) {
                if (s.to().equals(wire.selfAddress()) && s.message() instanceof SerfMessage.QueryResponse r) {
                    run(queries.onResponse(r)); // our own answer to our own query
                } else {
                    wire.send(s.to(), s.message());
                }
            } else if (e instanceof SerfEffect.Relay r) {
                wire.relayVia(r, members.members());
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

    private void emit(SerfEvent event) {
        if (event instanceof SerfEvent.Members m) {
            stateDirty = true;
            for (SerfMember member : m.members()) {
                switch (m.type()) {
                    case MEMBER_JOIN, MEMBER_UPDATE ->
                        snapshot(new SnapshotRecord.Alive(
                                member.name(), member.address().toString()));
                    case MEMBER_FAILED, MEMBER_LEAVE -> {
                        snapshot(new SnapshotRecord.NotAlive(member.name()));
                        run(queries.memberGone(member.name()));
                    }
                    case MEMBER_REAP -> {
                        snapshot(new SnapshotRecord.NotAlive(member.name()));
                        if (coordinates != null) {
                            coordinates.forget(member.name());
                        }
                    }
                    default -> {}
                }
            }
        }
        coalescer.tell(new EventCoalescer.Offer(event));
    }

    private void snapshot(SnapshotRecord record) {
        if (snapshotter != null) {
            snapshotter.tell(new Snapshotter.Append(record));
        }
    }

    /**
     * Serf's restart: the clocks resume after what the snapshot recorded (so old events and queries are not
     * delivered again), and the node rejoins the members it knew — unless it had left, and rejoin-after-leave is off.
     */
    private ActorRef<Snapshotter.Command> restoreSnapshot(ActorContext<Command> ctx) {
        Snapshot replayed;
        try {
            replayed = SnapshotReader.replay(settings.fileSystem(), settings.snapshotPath());
        } catch (java.io.IOException e) {
            ctx.getLog().warn("{}: cannot read the snapshot {}; starting without it", self, settings.snapshotPath(), e);
            replayed = Snapshot.EMPTY;
        }
        if (replayed.badRecords() > 0) {
            ctx.getLog()
                    .warn(
                            "{}: the snapshot {} had {} bad records; read up to the last good one",
                            self,
                            settings.snapshotPath(),
                            replayed.badRecords());
        }
        SnapshotState state = replayed.state();
        members.clock().witness(state.clock());
        events.clock().witness(state.eventClock());
        events.ignoreBefore(state.eventClock() + 1);
        queries.clock().witness(state.queryClock());
        queries.ignoreBefore(state.queryClock() + 1);
        List<Address> previous = new java.util.ArrayList<>();
        state.rejoinCandidates(config.rejoinAfterLeave()).forEach((name, address) -> {
            if (!name.equals(self)) {
                try {
                    previous.add(Address.parse(address));
                } catch (IllegalArgumentException e) {
                    ctx.getLog().warn("{}: snapshot address of {} is not an address: {}", self, name, address);
                }
            }
        });
        if (!previous.isEmpty()) {
            java.util.Collections.shuffle(
                    previous, new java.util.Random(settings.node().seed()));
            ctx.getLog().info("{}: rejoining {} members from the snapshot", self, previous.size());
            ctx.getSelf().tell(new Join(previous, false, ctx.getSystem().ignoreRef()));
        }
        return ctx.spawn(
                Snapshotter.create(settings.fileSystem(), settings.snapshotPath(), replayed, this::clockTimes),
                "snapshot");
    }

    private long[] clockTimes() {
        return new long[] {
            members.clock().time(), events.clock().time(), queries.clock().time()
        };
    }

    private void pushState() {
        stateDirty = false;
        node.tell(new Node.SetPushPullState(wire.encodeState(new SerfMessage.PushPull(
                members.ltime(),
                members.statusLTimes(),
                members.leftMembers(),
                events.clock().time(),
                events.recent(),
                queries.clock().time()))));
    }

    private static SerfEvent.User toEvent(SerfMessage.UserEvent e) {
        return new SerfEvent.User(e.ltime(), e.name(), e.payload(), e.coalesce());
    }
}
