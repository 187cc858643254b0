package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.transport.Transport;
import io.murmur.transport.TransportStats;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A cluster member for code that is not an actor: a {@link Node} spawned in an {@link ActorSystem} you own, with
 * methods that return {@link CompletionStage}s.
 *
 * <pre>{@code
 * MurmurNode node = MurmurNode.start(system, NodeSettings.of("a", address, MembershipConfig.lan()), transport);
 * node.join(Address.parse("10.0.0.1:7946")).toCompletableFuture().join();
 * node.events().thenAccept(events -> events.runForeach(System.out::println, system));
 * }</pre>
 */
public final class MurmurNode {

    private static final java.util.concurrent.atomic.AtomicLong INSTANCES =
            new java.util.concurrent.atomic.AtomicLong();

    private final ActorSystem<?> system;
    private final ActorRef<Node.Command> ref;
    private final NodeStats stats;
    private final Transport transport;
    private final Duration askTimeout;
    private final CompletableFuture<Done> stopped;
    private final MembershipConfig config;
    private final io.murmur.protocol.SecuritySettings security;

    private MurmurNode(
            ActorSystem<?> system,
            ActorRef<Node.Command> ref,
            NodeStats stats,
            Transport transport,
            Duration timeout,
            CompletableFuture<Done> stopped,
            MembershipConfig config,
            io.murmur.protocol.SecuritySettings security) {
        this.system = system;
        this.security = security;
        this.stopped = stopped;
        this.config = config;
        this.ref = ref;
        this.stats = stats;
        this.transport = transport;
        this.askTimeout = timeout;
    }

    /** Spawns a node as a system actor named after the node (plus a sequence number); the node owns {@code transport} from now on. */
    public static MurmurNode start(ActorSystem<?> system, NodeSettings settings, Transport transport) {
        NodeStats stats = new NodeStats();
        CompletableFuture<Done> stopped = new CompletableFuture<>();
        // A restarted node may reuse its name before the old actor's name is released: keep actor names unique.
        String actorName = "murmur-" + actorName(settings.name()) + "-" + INSTANCES.incrementAndGet();
        ActorRef<Node.Command> ref =
                system.systemActorOf(Node.create(settings, transport, stats, stopped), actorName, Props.empty());
        Duration timeout = settings.config().streamTimeout().multipliedBy(2).plusSeconds(5);
        return new MurmurNode(system, ref, stats, transport, timeout, stopped, settings.config(), settings.security());
    }

    /** The node's actor, to talk to it with its message protocol. */
    public ActorRef<Node.Command> ref() {
        return ref;
    }

    public Address address() {
        return transport.localAddress();
    }

    /**
     * Joins through the given seeds; completes once each has answered or the join's deadline (twice the stream
     * timeout) has passed, with how many answered.
     */
    public CompletionStage<JoinResult> join(Address... seeds) {
        return join(Arrays.asList(seeds));
    }

    public CompletionStage<JoinResult> join(List<Address> seeds) {
        return ask(replyTo -> new Node.Join(seeds, replyTo));
    }

    /** Leaves gracefully, waiting at most the configured {@code leave-timeout} for the message to go out. */
    public CompletionStage<Done> leave() {
        return leave(config.leaveTimeout());
    }

    /** Leaves gracefully; fails if the leave message could not be sent out within {@code timeout}. */
    public CompletionStage<Done> leave(Duration timeout) {
        return AskPattern.askWithStatus(
                ref, replyTo -> new Node.Leave(timeout, replyTo), timeout.plus(askTimeout), system.scheduler());
    }

    public CompletionStage<MemberView> members() {
        return ask(Node.GetMembers::new);
    }

    /** A stream of member events: each materialization sees every event after it (see {@link Node.GetEventSource}). */
    public CompletionStage<Source<MemberEvent, NotUsed>> events() {
        return ask(Node.GetEventSource::new);
    }

    public void subscribe(ActorRef<MemberEvent> subscriber, boolean replayCurrent) {
        ref.tell(new Node.Subscribe(subscriber, replayCurrent));
    }

    public void subscribeMessages(ActorRef<Node.UserMessageReceived> subscriber) {
        ref.tell(new Node.SubscribeMessages(subscriber));
    }

    /**
     * Sends {@code payload} straight to {@code to}, best-effort.
     *
     * @throws IllegalArgumentException if it is larger than a packet can carry ({@link Node#maxUserPayload})
     */
    public void sendTo(Address to, Bytes payload) {
        checkPayload(payload);
        ref.tell(new Node.SendTo(to, payload));
    }

    /**
     * Gossips {@code payload} to the members this node talks to.
     *
     * @throws IllegalArgumentException if it is larger than a packet can carry ({@link Node#maxUserPayload})
     */
    public void broadcast(Bytes payload) {
        checkPayload(payload);
        ref.tell(new Node.Broadcast(payload));
    }

    private void checkPayload(Bytes payload) {
        int max = Node.maxUserPayload(config, security);
        if (payload.size() > max) {
            throw new IllegalArgumentException(
                    "a user message of " + payload.size() + " bytes does not fit a packet (at most " + max + ")");
        }
    }

    /** New metadata for this node; fails if it is larger than 512 bytes. */
    public CompletionStage<Done> updateMeta(Bytes meta) {
        return AskPattern.askWithStatus(
                ref, replyTo -> new Node.UpdateMeta(meta, replyTo), askTimeout, system.scheduler());
    }

    /**
     * New verify flags, compression or allow-list for the running node (see {@link Node.SetSecurity}); fails if the
     * keyring object or the label differ from those the node started with.
     */
    public CompletionStage<Done> setSecurity(io.murmur.protocol.SecuritySettings next) {
        return AskPattern.askWithStatus(
                ref, replyTo -> new Node.SetSecurity(next, replyTo), askTimeout, system.scheduler());
    }

    public CompletionStage<Integer> healthScore() {
        return ask(Node.GetHealthScore::new);
    }

    public CompletionStage<QueueDepths> queueDepths() {
        return ask(Node.GetQueueDepths::new);
    }

    /** Stops the node without leaving and closes its transport; completes once it has. Idempotent. */
    public CompletionStage<Done> stop() {
        ref.tell(new Node.Stop(system.ignoreRef()));
        return stopped;
    }

    /** Inbound counters: messages accepted, drops by reason. */
    public NodeStats stats() {
        return stats;
    }

    public TransportStats transportStats() {
        return transport.stats();
    }

    private <T> CompletionStage<T> ask(org.apache.pekko.japi.function.Function<ActorRef<T>, Node.Command> message) {
        return AskPattern.ask(ref, message, askTimeout, system.scheduler());
    }

    /** Actor names allow a limited character set; node names do not have to. URL-encoding keeps them distinct. */
    static String actorName(String nodeName) {
        return java.net.URLEncoder.encode(nodeName, java.nio.charset.StandardCharsets.UTF_8);
    }
}
