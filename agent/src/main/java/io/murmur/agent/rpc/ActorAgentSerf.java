package io.murmur.agent.rpc;

import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.serf.KeyCommands;
import io.murmur.serf.QueryParams;
import io.murmur.serf.QueryReply;
import io.murmur.serf.Serf;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfInfo;
import io.murmur.serf.SerfMember;
import io.murmur.serf.SerfSettings;
import io.murmur.serf.SerfStats;
import io.murmur.serf.coordinate.Coordinate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/** {@link AgentSerf} over a {@link Serf} actor: asks with a timeout, small actors for subscriptions and queries. */
public final class ActorAgentSerf implements AgentSerf {

    /** Long enough for a join through slow seeds, a graceful leave or a key query over a large cluster. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The node answers with its stats at once unless it is stuck, and then the serf actor gives up after
     * {@link Serf.GetInfo#TIMEOUT} without a reply: asking longer than that and a second would wait for nothing.
     */
    static final Duration INFO_TIMEOUT = Serf.GetInfo.TIMEOUT.plusSeconds(1);

    private static final AtomicLong ACTOR_IDS = new AtomicLong();

    private final ActorSystem<?> system;
    private final ActorRef<Serf.Command> serf;
    private final SerfSettings settings;
    private final int protocolVersion;

    public ActorAgentSerf(ActorSystem<?> system, ActorRef<Serf.Command> serf, SerfSettings settings) {
        this(system, serf, settings, DEFAULT_PROTOCOL);
    }

    /** @param protocolVersion the serf protocol version to report ({@link AgentSerf#protocolVersion}) */
    public ActorAgentSerf(
            ActorSystem<?> system, ActorRef<Serf.Command> serf, SerfSettings settings, int protocolVersion) {
        this.system = system;
        this.serf = serf;
        this.settings = settings;
        this.protocolVersion = protocolVersion;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<SerfMember> members() {
        return ask(Serf.GetMembers::new).orElse(List.of());
    }

    @Override
    public JoinResult join(List<Address> seeds, boolean ignoreOld) {
        return this.<JoinResult>ask(r -> new Serf.Join(seeds, ignoreOld, r))
                .orElseGet(() -> new JoinResult(0, Map.of()));
    }

    @Override
    public Optional<String> leave() {
        return status(Serf.Leave::new);
    }

    @Override
    public Optional<String> forceLeave(String node, boolean prune) {
        return status(r -> new Serf.ForceLeave(node, prune, r));
    }

    @Override
    public Optional<String> userEvent(String name, byte[] payload, boolean coalesce) {
        return status(r -> new Serf.UserEvent(name, Bytes.of(payload), coalesce, r));
    }

    @Override
    public Optional<String> setTags(Map<String, String> tags) {
        return status(r -> new Serf.SetTags(tags, r));
    }

    @Override
    public Optional<String> query(String name, byte[] payload, QueryParams params, Consumer<QueryReply> replies) {
        // Serf's own check, made here so that the client hears it in the reply to its request, as Serf's agent does.
        int size = name.getBytes(StandardCharsets.UTF_8).length + payload.length;
        int limit = settings.serf().querySizeLimit();
        if (size > limit) {
            return Optional.of("query exceeds limit of " + limit + " bytes");
        }
        ActorRef<QueryReply> listener = spawn("rpc-query-", Behaviors.<QueryReply>receiveMessage(reply -> {
            replies.accept(reply);
            return reply instanceof QueryReply.Done || reply instanceof QueryReply.Rejected
                    ? Behaviors.stopped()
                    : Behaviors.same();
        }));
        serf.tell(new Serf.Query(name, Bytes.of(payload), params, listener));
        return Optional.empty();
    }

    @Override
    public Optional<String> respond(SerfEvent.Query query, byte[] payload) {
        return status(r -> new Serf.Respond(query, Bytes.of(payload), r));
    }

    @Override
    public AutoCloseable subscribe(Consumer<SerfEvent> events) {
        ActorRef<SerfEvent> subscriber = spawn("rpc-events-", Behaviors.<SerfEvent>receiveMessage(e -> {
            events.accept(e);
            return Behaviors.same();
        }));
        serf.tell(new Serf.Subscribe(subscriber));
        // Serf watches its subscribers: stopping this one unsubscribes it.
        return () -> system.classicSystem().stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(subscriber));
    }

    @Override
    public KeyCommands.KeyResponse keyOperation(KeyCommands.Op op, byte[] key) {
        return this.<KeyCommands.KeyResponse>ask(r -> new Serf.KeyOperation(op, key, r))
                .orElseGet(() -> new KeyCommands.KeyResponse(
                        Map.of(name(), "no answer within " + ASK_TIMEOUT.toSeconds() + " s"),
                        0,
                        0,
                        1,
                        Map.of(),
                        Map.of()));
    }

    @Override
    public Optional<Coordinate> coordinate(String node) {
        return this.<Optional<Coordinate>>ask(r -> new Serf.GetCoordinate(node, r))
                .flatMap(c -> c);
    }

    @Override
    public SerfStats stats() {
        return this.<SerfStats>ask(Serf.GetStats::new).orElseGet(() -> new SerfStats(Map.of(), 0, 0, 0, 0));
    }

    @Override
    public Optional<SerfInfo> info() {
        return ask(Serf.GetInfo::new, INFO_TIMEOUT);
    }

    @Override
    public boolean encrypted() {
        return settings.keyring() != null;
    }

    @Override
    public int protocolVersion() {
        return protocolVersion;
    }

    private <T> ActorRef<T> spawn(String prefix, Behavior<T> behavior) {
        return system.systemActorOf(behavior, prefix + ACTOR_IDS.incrementAndGet(), Props.empty());
    }

    private Optional<String> status(Function<ActorRef<StatusReply<Done>>, Serf.Command> command) {
        CompletionStage<Done> done = AskPattern.askWithStatus(serf, command::apply, ASK_TIMEOUT, system.scheduler());
        try {
            done.toCompletableFuture().get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return Optional.of(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (TimeoutException e) {
            return Optional.of("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private <T> Optional<T> ask(Function<ActorRef<T>, Serf.Command> command) {
        return ask(command, ASK_TIMEOUT);
    }

    private <T> Optional<T> ask(Function<ActorRef<T>, Serf.Command> command, Duration timeout) {
        CompletionStage<T> answer = AskPattern.ask(serf, command::apply, timeout, system.scheduler());
        try {
            return Optional.of(answer.toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
