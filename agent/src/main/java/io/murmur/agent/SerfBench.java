package io.murmur.agent;

import static io.murmur.agent.BenchOptions.decimals;
import static io.murmur.agent.BenchOptions.max;
import static io.murmur.agent.BenchOptions.progress;
import static io.murmur.agent.BenchOptions.seconds;

import com.typesafe.config.ConfigFactory;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.Node;
import io.murmur.membership.QueueDepths;
import io.murmur.protocol.Bytes;
import io.murmur.serf.MurmurSerf;
import io.murmur.serf.QueryParams;
import io.murmur.serf.QueryReply;
import io.murmur.serf.Serf;
import io.murmur.serf.SerfConfig;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfMember;
import io.murmur.serf.SerfSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code murmur bench serf}: N serf nodes in this JVM, each answering every query at once with its name from its event
 * subscriber. All join through node 0 at the same moment; measures how long until every node sees N alive serf
 * members, then (once every broadcast queue is empty) how long a user event from node 0 takes to be delivered by every
 * node, then how long node 0's query to all takes to gather every response and to finish.
 *
 * <p>Times are stamped with {@code System.nanoTime()} by the nodes' subscribers (and node 0's query reply handler) as
 * the serf layer hands them the event. {@code query_all_s} is the time to the last response that arrived (all N when
 * {@code query_responses} is N), {@code query_done_s} the time to the query's {@link QueryReply.Done}.
 */
@Command(
        name = "serf",
        mixinStandardHelpOptions = true,
        description = "Mass join, user event and query to all of N serf nodes in one JVM.")
final class SerfBench implements Callable<Integer> {

    private static final String EVENT = "bench-event";
    private static final String QUERY = "bench-query";

    @Option(
            names = "--timeout",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "Longest wait for convergence, delivery or quiet queues (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @picocli.CommandLine.Mixin
    BenchOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** What node 0 heard of its query, stamped as it arrived. */
    private record QueryOutcome(int responses, long lastResponseAt, QueryReply.Done done, long doneAt) {}

    @Override
    public Integer call() throws Exception {
        int nodes = options.nodes;
        String profile = options.profile;
        String transport = options.transport;
        long seed = options.seed;
        boolean json = options.json;
        if (nodes < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--nodes must be at least 2");
        }
        LocalCluster.Kind kind = LocalCluster.Kind.parse(transport, spec);
        MembershipConfig config = Profiles.load(profile, spec);
        SerfConfig serfConfig = SerfConfig.fromConfig(ConfigFactory.load());
        AtomicLongArray convergedAt = new AtomicLongArray(nodes);
        AtomicLongArray deliveredAt = new AtomicLongArray(nodes);
        CountDownLatch converged = new CountDownLatch(nodes);
        CountDownLatch delivered = new CountDownLatch(nodes);

        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "murmur-bench", ConfigFactory.load());
        try (LocalCluster<MurmurSerf> cluster = new LocalCluster<>(
                kind,
                config,
                seed,
                (index, settings, t) -> {
                    MurmurSerf serf =
                            MurmurSerf.start(system, SerfSettings.of(settings).withConfig(serfConfig), t);
                    Behavior<SerfEvent> subscriber =
                            subscriber(index, serf.name(), serf.ref(), convergedAt, converged, deliveredAt, delivered);
                    serf.subscribe(system.systemActorOf(
                            subscriber, "bench-" + serf.ref().path().name(), Props.empty()));
                    return serf;
                },
                MurmurSerf::stop)) {
            progress("starting %d serf nodes (%s profile, %s transport)", nodes, profile, kind.label());
            List<ActorRef<Node.Command>> memberships = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                cluster.start();
            }
            for (MurmurSerf s : cluster.nodes()) {
                memberships.add(s.node().toCompletableFuture().get(30, TimeUnit.SECONDS));
            }
            // Let every node's actors come up before the clock starts.
            for (MurmurSerf s : cluster.nodes()) {
                s.members().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }

            long joinStart = System.nanoTime();
            cluster.joinAllThroughFirst((s, seedAddress) -> s.join(List.of(seedAddress), false));
            await(converged, "every node to see " + nodes + " alive serf members");
            double convergeS = seconds(max(convergedAt) - joinStart);
            progress("converged in %.3f s", convergeS);

            awaitEmptyQueues(system, memberships);
            long eventStart = System.nanoTime();
            cluster.get(0)
                    .userEvent(EVENT, Bytes.utf8("x"), false)
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            await(delivered, "every node to deliver the user event");
            double eventS = seconds(max(deliveredAt) - eventStart);
            progress(
                    "user event delivered by all %d nodes in %.3f s (%s)",
                    nodes, eventS, BenchOptions.spread(deliveredAt, eventStart));

            awaitEmptyQueues(system, memberships);
            CompletableFuture<QueryOutcome> outcome = new CompletableFuture<>();
            ActorRef<QueryReply> replies = system.systemActorOf(queryReplies(outcome), "bench-query", Props.empty());
            long queryStart = System.nanoTime();
            cluster.get(0).query(QUERY, Bytes.EMPTY, QueryParams.all(), replies);
            QueryOutcome q = outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            double queryAllS = q.responses() == 0 ? 0 : seconds(q.lastResponseAt() - queryStart);
            double queryDoneS = seconds(q.doneAt() - queryStart);
            double queryTimeoutS = serfConfig
                            .defaultQueryTimeout(config.gossipInterval(), nodes)
                            .toMillis()
                    / 1e3;
            progress(
                    "query: %d of %d responses, the last after %.3f s, done after %.3f s%s (deadline %.1f s)",
                    q.responses(),
                    nodes,
                    queryAllS,
                    queryDoneS,
                    q.done().timedOut() ? ", timed out" : "",
                    queryTimeoutS);

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("nodes", nodes);
            figures.put("profile", profile);
            figures.put("transport", kind.label());
            figures.put("converge_s", decimals(convergeS, 3));
            figures.put("event_all_s", decimals(eventS, 3));
            figures.put("query_all_s", decimals(queryAllS, 3));
            figures.put("query_done_s", decimals(queryDoneS, 3));
            figures.put("query_responses", q.responses());
            figures.put("query_timed_out", q.done().timedOut());
            figures.put("query_timeout_s", decimals(queryTimeoutS, 1));
            figures.put("cores", Runtime.getRuntime().availableProcessors());
            figures.put("seed", seed);
            BenchOptions.printFigures(figures, json, spec.commandLine().getOut());
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return 0;
    }

    /**
     * Node {@code index}'s subscriber: answers every query with the node's name, stamps the moment it sees N alive
     * members and the moment it delivers the bench's user event.
     */
    private Behavior<SerfEvent> subscriber(
            int index,
            String name,
            ActorRef<Serf.Command> serf,
            AtomicLongArray convergedAt,
            CountDownLatch converged,
            AtomicLongArray deliveredAt,
            CountDownLatch delivered) {
        return Behaviors.setup(ctx -> {
            Bytes answer = Bytes.utf8(name);
            Set<String> alive = new HashSet<>(Set.of(name)); // its own join may come before the subscription
            return Behaviors.receiveMessage(e -> {
                long now = System.nanoTime();
                if (e instanceof SerfEvent.Query q) {
                    serf.tell(new Serf.Respond(q, answer, ctx.getSystem().ignoreRef()));
                } else if (e instanceof SerfEvent.User u) {
                    if (u.name().equals(EVENT) && deliveredAt.compareAndSet(index, 0, now)) {
                        delivered.countDown();
                    }
                } else if (e instanceof SerfEvent.Members m) {
                    for (SerfMember member : m.members()) {
                        switch (m.type()) {
                            case MEMBER_JOIN -> alive.add(member.name());
                            case MEMBER_LEAVE, MEMBER_FAILED, MEMBER_REAP -> alive.remove(member.name());
                            default -> {}
                        }
                    }
                    if (alive.size() == options.nodes && convergedAt.compareAndSet(index, 0, now)) {
                        converged.countDown();
                    }
                }
                return Behaviors.same();
            });
        });
    }

    private Behavior<QueryReply> queryReplies(CompletableFuture<QueryOutcome> outcome) {
        return Behaviors.setup(ctx -> {
            Set<String> responders = new HashSet<>();
            long[] last = {0};
            return Behaviors.receiveMessage(r -> {
                long now = System.nanoTime();
                if (r instanceof QueryReply.Response response && responders.add(response.from())) {
                    last[0] = now;
                } else if (r instanceof QueryReply.Done done) {
                    outcome.complete(new QueryOutcome(responders.size(), last[0], done, now));
                    return Behaviors.stopped();
                } else if (r instanceof QueryReply.Rejected rejected) {
                    outcome.completeExceptionally(new IllegalStateException("query rejected: " + rejected.reason()));
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            });
        });
    }

    /** Waits until no node has broadcasts left to send, so that one measurement's gossip does not slow the next. */
    private void awaitEmptyQueues(ActorSystem<?> system, List<ActorRef<Node.Command>> memberships) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int queued = 0;
            for (ActorRef<Node.Command> n : memberships) {
                QueueDepths q = AskPattern.<Node.Command, QueueDepths>ask(
                                n, Node.GetQueueDepths::new, Duration.ofSeconds(30), system.scheduler())
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                queued += q.membership() + q.user();
            }
            if (queued == 0) {
                return;
            }
            new CountDownLatch(1).await(100, TimeUnit.MILLISECONDS);
        }
        progress("broadcast queues still not empty after %s; measuring anyway", timeout);
    }

    private void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "waited " + timeout + " for " + what + "; " + latch.getCount() + " nodes short");
        }
    }
}
