package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Message.UserMessage;
import io.murmur.protocol.SecuritySettings;
import io.murmur.protocol.WireSecurity;
import io.murmur.transport.Transport;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One cluster member: the guardian of its protocol actors (member table, prober, gossiper, syncer) and its public
 * message protocol. Spawn it in your own actor system with {@link #create}; many nodes can live in one system, each
 * with its own transport. The node owns the transport and closes it when it stops.
 *
 * <pre>{@code
 * ActorRef<Node.Command> node = context.spawn(Node.create(settings, transport), "node-1");
 * node.tell(new Node.Join(List.of(Address.parse("10.0.0.1:7946")), joinReplies));
 * node.tell(new Node.Subscribe(eventListener, true));
 * }</pre>
 */
public final class Node extends AbstractBehavior<Node.Command> {

    /** Events a stream from {@link GetEventSource} may fall behind by before it fails. */
    public static final int EVENT_BUFFER = 1024;

    /** The node's protocol. */
    public sealed interface Command {}

    /** Pushes and pulls full state with each seed; the reply says how many answered. */
    public record Join(List<Address> seeds, ActorRef<JoinResult> replyTo) implements Command {
        public Join {
            seeds = List.copyOf(seeds);
        }
    }

    /**
     * Leaves gracefully: tells the cluster, then waits until the message has been sent out, at most {@code timeout}
     * (zero: the configured {@code leave-timeout}). Replies with an error if the timeout ran out first. The node keeps
     * answering probes until it is stopped.
     */
    public record Leave(Duration timeout, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** The current member table (alive, suspect, and the dead and left not yet forgotten). */
    public record GetMembers(ActorRef<MemberView> replyTo) implements Command {}

    /** Member events to an actor; with {@code replayCurrent} the current live members first arrive as joins. */
    public record Subscribe(ActorRef<MemberEvent> subscriber, boolean replayCurrent) implements Command {}

    public record Unsubscribe(ActorRef<MemberEvent> subscriber) implements Command {}

    /**
     * The member events as a stream, one subscription per materialization: it sees every event that happens after the
     * call that materializes it returns. It completes when the node stops and fails with a
     * {@link org.apache.pekko.stream.BufferOverflowException} if its consumer falls more than {@link #EVENT_BUFFER}
     * events behind.
     */
    public record GetEventSource(ActorRef<Source<MemberEvent, NotUsed>> replyTo) implements Command {}

    /** User messages that arrive at this node, to an actor. */
    public record SubscribeMessages(ActorRef<UserMessageReceived> subscriber) implements Command {}

    /**
     * A best-effort user message straight to {@code to} (memberlist's {@code SendBestEffort}); a payload larger than
     * {@link #maxUserPayload} is dropped with a warning.
     */
    public record SendTo(Address to, Bytes payload) implements Command {}

    /**
     * A user message piggy-backed on gossip to the members this node talks to, each {@code transmitMultiple} times
     * the membership transmit limit; a payload larger than {@link #maxUserPayload} is dropped with a warning.
     * {@code sent} (when not null) hears once it has been sent its number of times. {@code kind} (null: none) is the
     * application's label for it, counted in {@link QueueDepths#userByKind()} while it waits.
     */
    public record Broadcast(Bytes payload, ActorRef<Done> sent, int transmitMultiple, String kind) implements Command {
        public Broadcast(Bytes payload) {
            this(payload, null, 1, null);
        }

        public Broadcast(Bytes payload, ActorRef<Done> sent) {
            this(payload, sent, 1, null);
        }

        public Broadcast(Bytes payload, ActorRef<Done> sent, int transmitMultiple) {
            this(payload, sent, transmitMultiple, null);
        }
    }

    /**
     * What this node's push/pull exchanges carry for an application layered on membership (the serf layer's clocks
     * and recent events), replacing what was set before (memberlist's delegate {@code LocalState}).
     */
    public record SetPushPullState(Bytes state) implements Command {}

    /** The application part of every push/pull this node takes part in, to an actor (delegate {@code MergeRemoteState}). */
    public record SubscribePushPullState(ActorRef<RemoteUserState> subscriber) implements Command {}

    /** A peer's push/pull state: {@code join} when it answered a join of this node. */
    public record RemoteUserState(Address from, boolean join, Bytes state) {}

    /** Name conflicts (another address claiming a member's name) to an actor: memberlist's {@code NotifyConflict}. */
    public record SubscribeConflicts(ActorRef<NameConflict> subscriber) implements Command {}

    /** {@code claimant} claims the name of {@code existing}, which this node keeps. */
    public record NameConflict(Member existing, io.murmur.protocol.NodeInfo claimant) {}

    /** The payload of this node's acks to probes from now on (the serf layer's network coordinates). */
    public record SetAckPayload(Bytes payload) implements Command {}

    /**
     * Every direct probe this node's prober sees answered (who, the round trip, and the ack's payload) to an actor;
     * several may subscribe (serf's coordinates, the agent's metrics).
     */
    public record SubscribeProbes(ActorRef<ProbeAcked> subscriber) implements Command {}

    /** A direct probe of {@code node} answered after {@code rttNanos}, with the ack's {@code payload}. */
    public record ProbeAcked(String node, long rttNanos, Bytes payload) {}

    /**
     * New metadata for this node (at most {@value io.murmur.protocol.NodeInfo#MAX_META_BYTES} bytes, else an error
     * reply), gossiped with a higher incarnation; others see an update event.
     */
    public record UpdateMeta(Bytes meta, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** Lifeguard's local health score, 0 (healthy) and up. */
    public record GetHealthScore(ActorRef<Integer> replyTo) implements Command {}

    public record GetQueueDepths(ActorRef<QueueDepths> replyTo) implements Command {}

    /**
     * This node's inbound counters (messages accepted, drops by reason, refused requests): the live object, safe to
     * read from any thread at any time, so one answer serves for the node's life.
     */
    public record GetStats(ActorRef<NodeStats> replyTo) implements Command {}

    /**
     * New security settings for the running node: the verify flags, compression and the allow-list take effect at
     * once (the rolling path to encryption); the keyring object and the label must be those the node started with,
     * else the reply is an error.
     */
    public record SetSecurity(SecuritySettings settings, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** Stops the node without leaving (others will detect it as failed) and closes its transport. */
    public record Stop(ActorRef<Done> replyTo) implements Command {}

    /** A user message that arrived, and the address of the node that sent it. */
    public record UserMessageReceived(Address from, Bytes payload) {}

    record UserMessageArrived(Address from, Bytes payload) implements Command {}

    private record LeaveFinished(ActorRef<StatusReply<Done>> replyTo, Throwable failure) implements Command {}

    private record MessageSubscriberGone(ActorRef<UserMessageReceived> subscriber) implements Command {}

    /** The node's behavior over {@code transport}, which it owns from now on. */
    public static Behavior<Command> create(NodeSettings settings, Transport transport) {
        return create(settings, transport, new NodeStats(), new CompletableFuture<>());
    }

    /** @param stopped completed once the node has stopped and closed its transport */
    static Behavior<Command> create(
            NodeSettings settings, Transport transport, NodeStats stats, CompletableFuture<Done> stopped) {
        return Behaviors.setup(ctx -> new Node(ctx, settings.at(transport.localAddress()), transport, stats, stopped));
    }

    private final NodeSettings settings;
    private final Transport transport;
    private final NodeStats stats;
    private final Siblings siblings;
    private final WireSecurity security;
    private final Set<ActorRef<UserMessageReceived>> messageSubscribers = new HashSet<>();
    private final CompletableFuture<Done> stopped;
    private ActorRef<Done> stopReply;

    private Node(
            ActorContext<Command> ctx,
            NodeSettings settings,
            Transport transport,
            NodeStats stats,
            CompletableFuture<Done> stopped) {
        super(ctx);
        this.stopped = stopped;
        this.settings = settings;
        this.transport = transport;
        this.stats = stats;
        MembershipConfig config = settings.config();
        try {
            if (config.packetSize() > transport.maxPacketBytes()) {
                throw new IllegalArgumentException("packet-size " + config.packetSize()
                        + " is larger than the transport's largest packet, " + transport.maxPacketBytes());
            }
            Codec codec = new Codec();
            this.security = new WireSecurity(settings.security(), codec.limits());
            // The cores fill packets up to the packet size less the envelope, so sealed packets never exceed it.
            NodeCores cores = NodeCores.start(
                    settings.withConfig(PacketBudget.forCores(config, security.overhead())), codec, System.nanoTime());
            ActorRef<GossiperActor.Command> gossiper =
                    ctx.spawn(resumeOnFailure(GossiperActor.create(cores.gossiper, transport, security)), "gossiper");
            ActorRef<MemberTableActor.Command> table =
                    ctx.spawn(resumeOnFailure(MemberTableActor.create(cores.table, cores.startEffects())), "members");
            ActorRef<ProberActor.Command> prober =
                    ctx.spawn(resumeOnFailure(ProberActor.create(cores.prober)), "prober");
            ActorRef<SyncerActor.Command> syncer = ctx.spawn(
                    resumeOnFailure(
                            SyncerActor.create(cores.syncer, transport, codec, security, config.streamTimeout())),
                    "syncer");
            this.siblings = new Siblings(table, prober, gossiper, syncer);
            prober.tell(new ProberActor.Wire(siblings));
            syncer.tell(new SyncerActor.Wire(siblings));
            table.tell(new MemberTableActor.Wire(siblings));
            transport.start(new Inbound(
                    settings.name(), codec, security, siblings, ctx.getSelf(), stats, config.streamTimeout()));
        } catch (RuntimeException e) {
            // The node owns the transport from the start: a node that cannot start must not leak it.
            closeTransport();
            stopped.completeExceptionally(e);
            throw e;
        }
        ctx.getLog()
                .info(
                        "{}: started at {} with the {} profile",
                        settings.name(),
                        transport.localAddress(),
                        config.profile());
    }

    /** The largest user message payload a packet of {@code packetSize} bytes can carry. */
    public static int maxUserPayload(MembershipConfig config) {
        // Frame header, compound header, the part's length prefix, the message's type id and its length prefix.
        return config.packetSize() - Codec.HEADER_BYTES - 3 - 3 - 1 - 3;
    }

    /** The largest user message payload a packet can carry once sealed with {@code security}'s envelope. */
    public static int maxUserPayload(MembershipConfig config, SecuritySettings security) {
        return maxUserPayload(config) - WireSecurity.overheadOf(security);
    }

    private void closeTransport() {
        try {
            transport.close();
        } catch (RuntimeException e) {
            getContext().getLog().warn("{}: closing the transport failed", settings.name(), e);
        }
    }

    /**
     * A protocol actor that throws is a bug, but it must not take the node down: the message that caused it is
     * dropped (and the failure logged), the actor and its core's state carry on.
     */
    static <T> Behavior<T> resumeOnFailure(Behavior<T> behavior) {
        return Behaviors.supervise(behavior).onFailure(RuntimeException.class, SupervisorStrategy.resume());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Join.class, m -> {
                    siblings.syncer().tell(new SyncerActor.Join(m.seeds(), m.replyTo()));
                    return this;
                })
                .onMessage(Leave.class, this::onLeave)
                .onMessage(LeaveFinished.class, this::onLeaveFinished)
                .onMessage(GetMembers.class, m -> {
                    siblings.table().tell(new MemberTableActor.GetView(m.replyTo()));
                    return this;
                })
                .onMessage(Subscribe.class, m -> {
                    siblings.table().tell(new MemberTableActor.Subscribe(m.subscriber(), m.replayCurrent()));
                    return this;
                })
                .onMessage(Unsubscribe.class, m -> {
                    siblings.table().tell(new MemberTableActor.Unsubscribe(m.subscriber()));
                    return this;
                })
                .onMessage(GetEventSource.class, m -> {
                    ActorRef<MemberTableActor.Command> table = siblings.table();
                    // The source subscribes straight at the table, which emits the events, from the materializing
                    // thread: the subscription comes before anything that thread does next.
                    m.replyTo()
                            .tell(EventStreams.subscription(
                                    getContext().getSystem(),
                                    table,
                                    MemberEvent.class,
                                    EVENT_BUFFER,
                                    pump -> table.tell(new MemberTableActor.Subscribe(pump, false))));
                    return this;
                })
                .onMessage(SubscribeMessages.class, m -> {
                    if (messageSubscribers.add(m.subscriber())) {
                        getContext().watchWith(m.subscriber(), new MessageSubscriberGone(m.subscriber()));
                    }
                    return this;
                })
                .onMessage(MessageSubscriberGone.class, m -> {
                    messageSubscribers.remove(m.subscriber());
                    return this;
                })
                .onMessage(UserMessageArrived.class, m -> {
                    UserMessageReceived received = new UserMessageReceived(m.from(), m.payload());
                    messageSubscribers.forEach(s -> s.tell(received));
                    return this;
                })
                .onMessage(SendTo.class, m -> {
                    if (tooLarge(m.payload())) {
                        return this;
                    }
                    siblings.gossiper()
                            .tell(new GossiperActor.Send(
                                    new Effect.Send(m.to(), List.of(new UserMessage(m.payload())))));
                    return this;
                })
                .onMessage(Broadcast.class, m -> {
                    if (tooLarge(m.payload())) {
                        if (m.sent() != null) {
                            m.sent().tell(Done.getInstance());
                        }
                        return this;
                    }
                    siblings.gossiper()
                            .tell(new GossiperActor.QueueUser(m.payload(), m.sent(), m.transmitMultiple(), m.kind()));
                    return this;
                })
                .onMessage(SetPushPullState.class, m -> {
                    siblings.syncer().tell(new SyncerActor.SetUserState(m.state()));
                    return this;
                })
                .onMessage(SubscribePushPullState.class, m -> {
                    siblings.syncer().tell(new SyncerActor.ListenUserState(m.subscriber()));
                    return this;
                })
                .onMessage(SubscribeConflicts.class, m -> {
                    siblings.table().tell(new MemberTableActor.SubscribeConflicts(m.subscriber()));
                    return this;
                })
                .onMessage(SetAckPayload.class, m -> {
                    siblings.prober().tell(new ProberActor.SetAckPayload(m.payload()));
                    return this;
                })
                .onMessage(SubscribeProbes.class, m -> {
                    siblings.prober().tell(new ProberActor.ListenProbes(m.subscriber()));
                    return this;
                })
                .onMessage(UpdateMeta.class, m -> {
                    if (m.meta().size() > io.murmur.protocol.NodeInfo.MAX_META_BYTES) {
                        m.replyTo()
                                .tell(StatusReply.error(
                                        "node meta is " + m.meta().size() + " bytes, more than the limit of "
                                                + io.murmur.protocol.NodeInfo.MAX_META_BYTES));
                    } else {
                        siblings.table().tell(new MemberTableActor.UpdateMeta(m.meta(), m.replyTo()));
                    }
                    return this;
                })
                .onMessage(GetHealthScore.class, m -> {
                    siblings.prober().tell(new ProberActor.GetHealth(m.replyTo()));
                    return this;
                })
                .onMessage(GetQueueDepths.class, m -> {
                    siblings.gossiper().tell(new GossiperActor.GetQueueDepths(m.replyTo()));
                    return this;
                })
                .onMessage(GetStats.class, m -> {
                    m.replyTo().tell(stats);
                    return this;
                })
                .onMessage(SetSecurity.class, m -> {
                    try {
                        security.reconfigure(m.settings());
                        getContext().getLog().info("{}: security is now {}", settings.name(), m.settings());
                        m.replyTo().tell(StatusReply.ack());
                    } catch (IllegalArgumentException e) {
                        m.replyTo().tell(StatusReply.error(e.getMessage()));
                    }
                    return this;
                })
                .onMessage(Stop.class, m -> {
                    stopReply = m.replyTo();
                    return Behaviors.stopped();
                })
                .onSignal(PostStop.class, s -> {
                    try {
                        closeTransport();
                        getContext().getLog().info("{}: stopped", settings.name());
                    } finally {
                        if (stopReply != null) {
                            stopReply.tell(Done.getInstance());
                        }
                        stopped.complete(Done.getInstance());
                    }
                    return this;
                })
                .build();
    }

    private boolean tooLarge(Bytes payload) {
        int max = maxUserPayload(settings.config(), settings.security());
        if (payload.size() <= max) {
            return false;
        }
        getContext()
                .getLog()
                .warn(
                        "{}: dropped a user message of {} bytes (at most {} fit a packet)",
                        settings.name(),
                        payload.size(),
                        max);
        return true;
    }

    private Behavior<Command> onLeave(Leave leave) {
        Duration timeout = leave.timeout().isZero() || leave.timeout().isNegative()
                ? settings.config().leaveTimeout()
                : leave.timeout();
        getContext()
                .ask(
                        Done.class,
                        siblings.table(),
                        timeout,
                        MemberTableActor.Leave::new,
                        (done, failure) -> new LeaveFinished(leave.replyTo(), failure));
        return this;
    }

    private Behavior<Command> onLeaveFinished(LeaveFinished finished) {
        if (finished.failure() == null) {
            finished.replyTo().tell(StatusReply.ack());
        } else {
            getContext().getLog().warn("{}: leave broadcast not fully sent before the timeout", settings.name());
            finished.replyTo().tell(StatusReply.error("timeout waiting for the leave broadcast to be sent"));
        }
        return this;
    }
}
