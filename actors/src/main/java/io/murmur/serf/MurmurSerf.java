package io.murmur.serf;

import io.murmur.membership.EventStreams;
import io.murmur.membership.JoinResult;
import io.murmur.membership.Node;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A serf node for code that is not an actor: a {@link Serf} spawned in an {@link ActorSystem} you own, with methods
 * that return {@link CompletionStage}s and events as a Pekko Streams {@link Source}.
 *
 * <pre>{@code
 * MurmurSerf serf = MurmurSerf.start(system, SerfSettings.of(nodeSettings).withTags(Map.of("role", "web")), transport);
 * serf.events().runForeach(e -> {
 *     if (e instanceof SerfEvent.Query q) serf.respond(q, Bytes.utf8("ok"));
 * }, system);
 * serf.join(List.of(seed), false).toCompletableFuture().join();
 * serf.userEvent("deploy", Bytes.utf8("v42"), false);
 * serf.query("uptime", Bytes.EMPTY, QueryParams.all()).thenAccept(r -> r.responses().forEach(...));
 * }</pre>
 */
public final class MurmurSerf {

    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final AtomicLong CHILDREN = new AtomicLong();

    /** An info request's own time, and a second for the serf actor's mailbox and the way back. */
    private static final Duration INFO_TIMEOUT = Serf.GetInfo.TIMEOUT.plusSeconds(1);

    /** Events a stream from {@link #events()} may fall behind by before it fails. */
    public static final int DEFAULT_EVENT_BUFFER = 1024;

    /**
     * What a query gathered: the members that acked (when acks were requested), each member's response (the first,
     * should one arrive twice), and how it ended.
     */
    public record QueryResult(List<String> acks, Map<String, Bytes> responses, QueryReply.Done done) {
        public QueryResult {
            acks = List.copyOf(acks);
            responses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(responses));
        }

        /** Whether the deadline passed before every expected member answered. */
        public boolean timedOut() {
            return done.timedOut();
        }
    }

    private final ActorSystem<?> system;
    private final ActorRef<Serf.Command> ref;
    private final String name;
    private final Address address;
    private final Duration askTimeout;
    private final Duration leaveTimeout;
    private final CompletableFuture<Done> stopped;

    private MurmurSerf(
            ActorSystem<?> system,
            ActorRef<Serf.Command> ref,
            SerfSettings settings,
            Address address,
            CompletableFuture<Done> stopped) {
        this.system = system;
        this.ref = ref;
        this.name = settings.name();
        this.address = address;
        this.stopped = stopped;
        this.askTimeout =
                settings.node().config().streamTimeout().multipliedBy(2).plusSeconds(5);
        SerfConfig serf = settings.serf();
        // Serf's leave: the intent (at most broadcast-timeout), the membership leave (the same), the propagation.
        this.leaveTimeout = serf.broadcastTimeout()
                .multipliedBy(2)
                .plus(serf.leavePropagateDelay())
                .plus(askTimeout);
    }

    /**
     * Spawns a serf node as a system actor with a unique name (the node's name plus a sequence number); the node owns
     * {@code transport} from now on and closes it when it stops.
     */
    public static MurmurSerf start(ActorSystem<?> system, SerfSettings settings, Transport transport) {
        String actorName = "serf-"
                + java.net.URLEncoder.encode(settings.name(), java.nio.charset.StandardCharsets.UTF_8) + "-"
                + INSTANCES.incrementAndGet();
        Address address = transport.localAddress();
        ActorRef<Serf.Command> ref = system.systemActorOf(Serf.create(settings, transport), actorName, Props.empty());
        CompletableFuture<Done> stopped = new CompletableFuture<>();
        system.systemActorOf(
                Behaviors.<Void>setup(ctx -> {
                    ctx.watch(ref);
                    return Behaviors.receive(Void.class)
                            .onSignal(Terminated.class, t -> {
                                stopped.complete(Done.getInstance());
                                return Behaviors.stopped();
                            })
                            .build();
                }),
                actorName + "-watch",
                Props.empty());
        return new MurmurSerf(system, ref, settings, address, stopped);
    }

    /** The serf actor, to talk to it with its message protocol ({@link Serf.Command}). */
    public ActorRef<Serf.Command> ref() {
        return ref;
    }

    public String name() {
        return name;
    }

    public Address address() {
        return address;
    }

    /**
     * Joins through {@code seeds}; with {@code ignoreOld} the user events the cluster already had are not replayed
     * here. Completes with how many seeds answered.
     */
    public CompletionStage<JoinResult> join(List<Address> seeds, boolean ignoreOld) {
        return AskPattern.ask(ref, r -> new Serf.Join(seeds, ignoreOld, r), askTimeout, system.scheduler());
    }

    /** Leaves gracefully (Serf's sequence: leave intent, membership leave, propagation delay). */
    public CompletionStage<Done> leave() {
        return AskPattern.askWithStatus(ref, Serf.Leave::new, leaveTimeout, system.scheduler());
    }

    /** The members as this node sees them, itself included, with their tags and statuses. */
    public CompletionStage<List<SerfMember>> members() {
        return AskPattern.ask(ref, Serf.GetMembers::new, askTimeout, system.scheduler());
    }

    /** Replaces this node's tags; fails if they do not fit the node's metadata. */
    public CompletionStage<Done> setTags(Map<String, String> tags) {
        return AskPattern.askWithStatus(ref, r -> new Serf.SetTags(tags, r), askTimeout, system.scheduler());
    }

    /** Fires a user event; fails if name plus payload exceed {@code user-event-size-limit}. */
    public CompletionStage<Done> userEvent(String eventName, Bytes payload, boolean coalesce) {
        return AskPattern.askWithStatus(
                ref, r -> new Serf.UserEvent(eventName, payload, coalesce, r), askTimeout, system.scheduler());
    }

    /**
     * Runs a query and completes once it is over (every expected member answered, or its timeout ran out) with what
     * it gathered. Fails with {@link IllegalArgumentException} if the query was rejected (too large), and with
     * {@link IllegalStateException} if the node stops first.
     */
    public CompletionStage<QueryResult> query(String queryName, Bytes payload, QueryParams params) {
        CompletableFuture<QueryResult> result = new CompletableFuture<>();
        ActorRef<QueryReply> collector = system.systemActorOf(
                collector(ref, result), ref.path().name() + "-query-" + CHILDREN.incrementAndGet(), Props.empty());
        query(queryName, payload, params, collector);
        return result;
    }

    /** Runs a query whose acks and responses go to {@code replyTo} as they arrive, then one {@link QueryReply.Done}. */
    public void query(String queryName, Bytes payload, QueryParams params, ActorRef<QueryReply> replyTo) {
        ref.tell(new Serf.Query(queryName, payload, params, replyTo));
    }

    /** Answers a query this node was given (at most once, before its deadline). */
    public CompletionStage<Done> respond(SerfEvent.Query query, Bytes payload) {
        return AskPattern.askWithStatus(ref, r -> new Serf.Respond(query, payload, r), askTimeout, system.scheduler());
    }

    /** Serf's force-leave: {@code node} (usually failed) becomes left; with {@code prune} it is forgotten at once. */
    public CompletionStage<Done> forceLeave(String node, boolean prune) {
        return AskPattern.askWithStatus(ref, r -> new Serf.ForceLeave(node, prune, r), askTimeout, system.scheduler());
    }

    public CompletionStage<SerfStats> stats() {
        return AskPattern.ask(ref, Serf.GetStats::new, askTimeout, system.scheduler());
    }

    /**
     * Serf's own stats: health score, Lamport times, queue depths, coordinate resets. Fails with a timeout soon after
     * {@link Serf.GetInfo#TIMEOUT} when the membership node does not answer (no reply comes after that).
     */
    public CompletionStage<SerfInfo> info() {
        return AskPattern.ask(ref, Serf.GetInfo::new, INFO_TIMEOUT, system.scheduler());
    }

    /** The membership node underneath, for what the serf layer does not cover. */
    public CompletionStage<ActorRef<Node.Command>> node() {
        return AskPattern.ask(ref, Serf.GetNode::new, askTimeout, system.scheduler());
    }

    /** Sends this node's events (member events, user events, queries to answer) to {@code subscriber} from now on. */
    public void subscribe(ActorRef<SerfEvent> subscriber) {
        ref.tell(new Serf.Subscribe(subscriber));
    }

    /** {@link #events(int)} with {@link #DEFAULT_EVENT_BUFFER}. */
    public Source<SerfEvent, NotUsed> events() {
        return events(DEFAULT_EVENT_BUFFER);
    }

    /**
     * This node's events as a stream, one subscription per materialization: every event that happens after the call
     * that materializes it returns (so materialize it before joining to see the join's member events). The stream
     * completes when the node stops, and fails with a {@link BufferOverflowException} if its consumer falls more than
     * {@code bufferSize} events behind (the node cannot be back-pressured; a silent gap would be worse).
     */
    public Source<SerfEvent, NotUsed> events(int bufferSize) {
        // Subscribing from the materializing thread orders the subscription before that thread's next command.
        return EventStreams.subscription(
                system, ref, SerfEvent.class, bufferSize, pump -> ref.tell(new Serf.Subscribe(pump)));
    }

    /**
     * Stops the node without leaving (call {@link #leave()} first for a graceful exit) and closes its transport;
     * completes once it has. Idempotent.
     */
    public CompletionStage<Done> stop() {
        // Serf stops with its membership node, which closes the transport on its way out.
        node().thenAccept(node -> node.tell(new Node.Stop(system.ignoreRef())));
        return stopped;
    }

    private static Behavior<QueryReply> collector(ActorRef<Serf.Command> serf, CompletableFuture<QueryResult> result) {
        return Behaviors.setup(ctx -> {
            ctx.watch(serf);
            List<String> acks = new ArrayList<>();
            Map<String, Bytes> responses = new LinkedHashMap<>();
            return Behaviors.receive(QueryReply.class)
                    .onMessage(QueryReply.Ack.class, a -> {
                        acks.add(a.from());
                        return Behaviors.same();
                    })
                    .onMessage(QueryReply.Response.class, r -> {
                        responses.putIfAbsent(r.from(), r.payload());
                        return Behaviors.same();
                    })
                    .onMessage(QueryReply.Done.class, d -> {
                        result.complete(new QueryResult(acks, responses, d));
                        return Behaviors.stopped();
                    })
                    .onMessage(QueryReply.Rejected.class, r -> {
                        result.completeExceptionally(new IllegalArgumentException(r.reason()));
                        return Behaviors.stopped();
                    })
                    .onSignal(Terminated.class, t -> {
                        result.completeExceptionally(
                                new IllegalStateException("the serf node stopped before the query was over"));
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }
}
