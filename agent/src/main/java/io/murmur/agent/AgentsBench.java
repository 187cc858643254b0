package io.murmur.agent;

import static io.murmur.agent.BenchOptions.decimals;
import static io.murmur.agent.BenchOptions.progress;
import static io.murmur.agent.BenchOptions.seconds;

import io.murmur.agent.cli.RpcClient;
import io.murmur.agent.rpc.RpcValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code murmur bench agents}: N agent processes on loopback, driven over their RPC ports the way an operator's tools
 * would. See docs/benchmarks.md for what each figure means; in short:
 *
 * <ul>
 *   <li>{@code converge_s}: from the moment agents 1..N-1 are all told (at once) to join agent 0 until every agent's
 *       member list (polled over RPC every 250 ms) shows all N alive;
 *   <li>{@code event_all_handlers_s}: from agent 0's non-coalesced user event until the last agent's handler script
 *       ran (each script stamps the wall clock as it starts);
 *   <li>{@code query_wall_s} and {@code query_responses}: agent 0's query to all, answered by each agent's handler
 *       script, until the query's {@code done};
 *   <li>{@code fail_all_detect_s}: from a SIGKILL of the last agent until every other agent lists it as failed;
 *       {@code health_raised_at_kill} and {@code health_max_at_kill}: how many of the others had a Lifeguard health
 *       score above zero just before, and the highest (a raised score stretches an agent's probe rounds);
 *   <li>{@code rss_mb_per_agent}: the agents' mean resident memory, read from /proc just before the kill, and
 *       {@code pss_mb_per_agent} the mean of their proportional shares of it (pages the agents share, such as the
 *       JVM's code and the class-data archive, divided among them): what each agent adds to the machine.
 * </ul>
 */
@Command(
        name = "agents",
        mixinStandardHelpOptions = true,
        description = "Starts N agent processes on loopback and measures join, user event, query and failure"
                + " detection through their RPC ports, and their memory.")
final class AgentsBench implements Callable<Integer> {

    private static final String EVENT = "bench-event";
    private static final String QUERY = "bench-query";
    /** After convergence, time for the join's gossip to drain before the next measurement. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    /** How often each agent's member list is read while waiting for a change. */
    private static final Duration POLL = Duration.ofMillis(250);
    /** How often an agent's RPC port is tried while it starts. */
    private static final Duration RPC_RETRY = Duration.ofMillis(50);

    @Option(names = "--nodes", defaultValue = "20", description = "Agents to start (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--profile", defaultValue = "lan", description = "lan, wan or local (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--json", description = "End with one line of JSON.")
    boolean json;

    @Option(
            names = "--timeout",
            defaultValue = "300s",
            converter = DurationConverter.class,
            description = "Longest wait for any one step (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--first-port",
            defaultValue = "21000",
            description = "Agents' gossip and RPC ports are the free ones from here up (default ${DEFAULT-VALUE}).")
    int firstPort;

    @Option(names = "--jvm-option", description = "An extra JVM option for every agent (repeatable).")
    List<String> jvmOptions = new ArrayList<>();

    @Option(
            names = "--idle-before-join",
            defaultValue = "0s",
            converter = DurationConverter.class,
            description = "Wait this long after every RPC port answers before the joins (default ${DEFAULT-VALUE}:"
                    + " join at once, as the benchmark is defined; longer shows what JVM warm-up costs).")
    Duration idleBeforeJoin;

    @Option(
            names = "--keep",
            description = "Keep the work directory (agents' logs, handler stamps, every agent's /metrics at the end).")
    boolean keep;

    /** The launcher's way to write the agents' class-data archive: agent 0's JVM dumps the classes it used. */
    @Option(names = "--write-class-archive", hidden = true)
    Path classArchive;

    /** The bench's timers: the member-list polls and the pauses between steps. */
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "bench-timer");
        t.setDaemon(true);
        return t;
    });

    /** Join commands that answered with an error. */
    private final java.util.concurrent.atomic.AtomicInteger joinErrors =
            new java.util.concurrent.atomic.AtomicInteger();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (nodes < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--nodes must be at least 2");
        }
        if (firstPort < 1 || firstPort > 32767) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--first-port must be within 1..32767 (below the ephemeral ports)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive");
        }
        Profiles.load(profile, spec); // a bad profile is a usage error here, not N failed agents
        Path work = Files.createTempDirectory("murmur-bench-agents-");
        Path stamps = Files.createDirectory(work.resolve("stamps"));
        Path script = handlerScript(work, stamps);
        List<String> agentArgs = List.of(
                "-profile=" + profile,
                "-event-handler=user:" + EVENT + "=" + script,
                "-event-handler=query:" + QUERY + "=" + script);
        Map<String, Object> figures = new LinkedHashMap<>();
        List<MemberWatch> watches = new ArrayList<>();
        boolean ok = false;
        try (AgentProcesses agents = new AgentProcesses(work, agentArgs, jvmOptions, firstPort, classArchive == null)) {
            try {
                measure(agents, work, stamps, watches, figures);
                ok = true;
                if (keep) {
                    saveMetrics(work, agents);
                }
            } catch (Exception | Error e) {
                saveMetrics(work, agents);
                throw e;
            }
        } finally {
            timers.shutdownNow();
            watches.forEach(MemberWatch::close);
            if (keep || !ok) {
                progress("work directory kept: %s", work);
            } else {
                org.agrona.IoUtil.delete(work.toFile(), true);
            }
        }
        BenchOptions.printFigures(figures, json, spec.commandLine().getOut());
        return 0;
    }

    /** Waits {@code d} on the bench's timers. */
    private void pause(Duration d) throws Exception {
        timers.schedule(() -> null, d.toNanos(), TimeUnit.NANOSECONDS).get();
    }

    /** Starts the agents and takes every measurement into {@code figures}. */
    private void measure(
            AgentProcesses agents, Path work, Path stamps, List<MemberWatch> watches, Map<String, Object> figures)
            throws Exception {
        progress("starting %d agent processes (%s profile; logs in %s)", nodes, profile, work);
        long startAt = System.nanoTime();
        for (int i = 0; i < nodes; i++) {
            agents.start(
                    i == 0 && classArchive != null
                            ? List.of("-XX:ArchiveClassesAtExit=" + classArchive, "-Xlog:cds=off")
                            : List.of());
        }
        for (AgentProcesses.Agent a : agents.agents()) {
            awaitRpc(a);
        }
        double startS = seconds(System.nanoTime() - startAt);
        progress("all %d RPC ports answer after %.1f s", nodes, startS);

        for (AgentProcesses.Agent a : agents.agents()) {
            watches.add(new MemberWatch(a.name(), a.rpcAddress()));
        }
        pause(idleBeforeJoin);
        double cpuBeforeJoin = agents.cpuSeconds();
        long joinAt = joinAllToFirst(agents.agents());
        long[] converged = awaitAll(
                watches, m -> MemberWatch.count(m, "alive") == nodes, "every agent to list " + nodes + " alive");
        double convergeS = seconds(Arrays.stream(converged).max().orElseThrow() - joinAt);
        double joinCpuS = agents.cpuSeconds() - cpuBeforeJoin;
        progress(
                "converged in %.3f s (%s); the agents used %.1f s of CPU meanwhile",
                convergeS, BenchOptions.spread(converged, joinAt), joinCpuS);
        MemberWatch.Wait wait = watches.get(slowest(converged)).lastWait();
        progress(
                "the slowest had listed all but %s since %.3f s",
                wait.describe(), Math.max(0, seconds(wait.sinceNanos() - joinAt)));

        pause(SETTLE);
        double eventS = userEventToAllHandlers(agents.agents().get(0), stamps);
        progress("user event ran every agent's handler in %.3f s", eventS);

        pause(SETTLE);
        QueryFigures query = queryAll(agents.agents().get(0));
        progress(
                "query: %d of %d responses, the last after %.3f s, done after %.3f s",
                query.responses, nodes, query.lastResponseS, query.wallS);

        long[] rss =
                agents.agents().stream().mapToLong(a -> a.rssBytes().orElse(0)).toArray();
        double rssMean = Arrays.stream(rss).average().orElse(0) / (1 << 20);
        double rssMax = Arrays.stream(rss).max().orElse(0) / (double) (1 << 20);
        double pssMean = agents.agents().stream()
                        .mapToLong(a -> a.pssBytes().orElse(0))
                        .average()
                        .orElse(0)
                / (1 << 20);

        AgentProcesses.Agent victim = agents.agents().get(nodes - 1);
        double[] health = AgentProcesses.healthScores(agents.agents().subList(0, nodes - 1));
        long raised = Arrays.stream(health).filter(h -> h > 0).count();
        double healthMax = Arrays.stream(health).max().orElse(0);
        progress(
                "before the kill %d of %d agents had a raised health score (highest %.0f)",
                raised, nodes - 1, healthMax);
        long killAt = System.nanoTime();
        agents.kill(victim);
        long[] detected = awaitAll(
                watches.subList(0, nodes - 1),
                m -> "failed".equals(m.get(victim.name())),
                "every agent to list " + victim.name() + " as failed");
        double detectS = seconds(Arrays.stream(detected).max().orElseThrow() - killAt);
        progress(
                "the kill of %s was seen by all in %.3f s (%s)",
                victim.name(), detectS, BenchOptions.spread(detected, killAt));

        figures.put("nodes", nodes);
        figures.put("profile", profile);
        figures.put("start_s", decimals(startS, 1));
        figures.put("converge_s", decimals(convergeS, 3));
        figures.put("join_errors", joinErrors.get());
        figures.put("join_cpu_s", decimals(joinCpuS, 1));
        figures.put("event_all_handlers_s", decimals(eventS, 3));
        figures.put("query_wall_s", decimals(query.wallS, 3));
        figures.put("query_last_response_s", decimals(query.lastResponseS, 3));
        figures.put("query_responses", query.responses);
        figures.put("fail_all_detect_s", decimals(detectS, 3));
        figures.put("health_raised_at_kill", raised);
        figures.put("health_max_at_kill", (long) healthMax);
        figures.put("rss_mb_per_agent", decimals(rssMean, 1));
        figures.put("rss_mb_max", decimals(rssMax, 1));
        figures.put("pss_mb_per_agent", decimals(pssMean, 1));
        figures.put("cores", Runtime.getRuntime().availableProcessors());
    }

    /** Every agent's /metrics into the work directory (on a failure, or with --keep), to see what happened where. */
    private static void saveMetrics(Path work, AgentProcesses agents) {
        for (AgentProcesses.Agent a : agents.agents()) {
            try {
                Files.writeString(work.resolve(a.name() + ".metrics"), a.metrics());
            } catch (IOException e) {
                progress("could not save %s's metrics: %s", a.name(), e.getMessage());
            }
        }
        progress("saved every agent's /metrics in %s", work);
    }

    /**
     * The handler script: a user event stamps the wall clock in nanoseconds into {@code stamps/<agent>} (published by
     * rename, so a reader never sees half a file); a query is answered with the agent's name.
     */
    private static Path handlerScript(Path work, Path stamps) throws IOException {
        Path script = work.resolve("handler.sh");
        String dir = "'" + stamps.toAbsolutePath() + "'";
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "#!/bin/sh",
                        "case \"$SERF_EVENT\" in",
                        "  user)",
                        "    t=$(date +%s%N)",
                        "    printf '%s\\n' \"$t\" > " + dir + "/\"$SERF_SELF_NAME.tmp\"",
                        "    mv " + dir + "/\"$SERF_SELF_NAME.tmp\" " + dir + "/\"$SERF_SELF_NAME\" ;;",
                        "  query)",
                        "    printf '%s' \"$SERF_SELF_NAME\" ;;",
                        "esac",
                        ""),
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Waits until {@code agent}'s RPC port shakes hands; fails early if the process died. */
    private void awaitRpc(AgentProcesses.Agent agent) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (RpcClient c = RpcClient.connect(agent.rpcAddress(), "")) {
                return;
            } catch (RpcClient.RpcException e) {
                if (!agent.process().isAlive()) {
                    throw new IllegalStateException(
                            agent.name() + " exited with " + agent.process().exitValue() + "; see " + agent.log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(agent.name() + "'s RPC port never answered; see " + agent.log());
                }
                pause(RPC_RETRY);
            }
        }
    }

    /** Connects to agents 1..N-1, then sends each its {@code join} of agent 0 at once; returns that moment. */
    private long joinAllToFirst(List<AgentProcesses.Agent> agents) throws Exception {
        String seed = agents.get(0).gossipAddress();
        List<RpcClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, agents.size() - 1));
        try {
            for (AgentProcesses.Agent a : agents.subList(1, agents.size())) {
                clients.add(RpcClient.connect(a.rpcAddress(), "").readTimeout(timeout));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> joined = new ArrayList<>();
            long[] at = new long[1];
            for (int i = 0; i < clients.size(); i++) {
                RpcClient c = clients.get(i);
                String name = agents.get(i + 1).name();
                joined.add(pool.submit(() -> {
                    go.await();
                    RpcClient.Answer a =
                            c.requestAnswer("join", p -> RpcClient.map(p, "Existing", List.of(seed), "Replay", false));
                    long now = System.nanoTime();
                    if (!a.error().isEmpty() || a.body().integer("Num") < 1) {
                        // The agent may be in the cluster anyway: the seed took it in and gossip reaches it. The
                        // member lists tell; the failed command is counted, as an operator would have seen it.
                        progress("%s's join failed after %.1f s: %s", name, seconds(now - at[0]), a.error());
                        joinErrors.incrementAndGet();
                    }
                    return now;
                }));
            }
            at[0] = System.nanoTime();
            go.countDown();
            long[] answered = new long[joined.size()];
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < joined.size(); i++) {
                answered[i] = joined.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            progress("every join answered (%s)", BenchOptions.spread(answered, at[0]));
            return at[0];
        } finally {
            pool.shutdownNow();
            clients.forEach(RpcClient::close);
        }
    }

    /** Agent 0's user event, until every agent's handler has stamped it: the last stamp less the send, in seconds. */
    private double userEventToAllHandlers(AgentProcesses.Agent first, Path stamps) throws Exception {
        try (WatchService watch = stamps.getFileSystem().newWatchService();
                RpcClient c = RpcClient.connect(first.rpcAddress(), "").readTimeout(timeout)) {
            stamps.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            Instant sent = Instant.now();
            c.call("event", p -> RpcClient.map(p, "Name", EVENT, "Payload", new byte[0], "Coalesce", false));
            long deadline = System.nanoTime() + timeout.toNanos();
            Set<String> done = new HashSet<>();
            while (done.size() < nodes) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("after " + timeout + " only " + done.size() + " of " + nodes
                            + " handlers had run the user event");
                }
                var key = watch.poll(100, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
                try (Stream<Path> files = Files.list(stamps)) {
                    files.map(f -> f.getFileName().toString())
                            .filter(f -> !f.endsWith(".tmp"))
                            .forEach(done::add);
                }
            }
            long last = 0;
            for (String name : done) {
                last = Math.max(
                        last,
                        Long.parseLong(Files.readString(stamps.resolve(name)).strip()));
            }
            long sentNanos = sent.getEpochSecond() * 1_000_000_000L + sent.getNano();
            return seconds(last - sentNanos);
        }
    }

    private record QueryFigures(int responses, double lastResponseS, double wallS) {}

    /** Agent 0's query to all with acks and its default timeout, streamed until done. */
    private QueryFigures queryAll(AgentProcesses.Agent first) throws Exception {
        try (RpcClient c = RpcClient.connect(first.rpcAddress(), "").readTimeout(timeout)) {
            long start = System.nanoTime();
            c.call(
                    "query",
                    p -> RpcClient.map(
                            p,
                            "FilterNodes",
                            List.of(),
                            "FilterTags",
                            Map.of(),
                            "RequestAck",
                            true,
                            "RelayFactor",
                            0,
                            "Timeout",
                            0L,
                            "Name",
                            QUERY,
                            "Payload",
                            new byte[0]));
            Set<String> responders = new HashSet<>();
            long last = start;
            RpcValues r;
            while ((r = c.nextRecord()) != null) {
                String type = r.string("Type");
                if (type.equals("done")) {
                    return new QueryFigures(
                            responders.size(), seconds(last - start), seconds(System.nanoTime() - start));
                }
                if (type.equals("response") && responders.add(r.string("From"))) {
                    last = System.nanoTime();
                }
            }
            throw new IllegalStateException("agent 0 closed the query's stream before done");
        }
    }

    private static int slowest(long[] stamps) {
        int at = 0;
        for (int i = 1; i < stamps.length; i++) {
            if (stamps[i] > stamps[at]) {
                at = i;
            }
        }
        return at;
    }

    /** Polls every watch until {@code condition} holds of its member list; their stamps, in the watches' order. */
    private long[] awaitAll(List<MemberWatch> watches, Predicate<Map<String, String>> condition, String what)
            throws Exception {
        List<CompletableFuture<Long>> seen = new ArrayList<>();
        for (MemberWatch w : watches) {
            seen.add(w.until(condition, POLL, timers));
        }
        // Ends at the first failure (an agent that died, a stream that broke) instead of waiting out the timeout.
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        seen.forEach(f -> f.whenComplete((v, e) -> {
            if (e != null) {
                firstFailure.completeExceptionally(e);
            }
        }));
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(seen.toArray(CompletableFuture[]::new)), firstFailure)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            seen.forEach(f -> f.cancel(false));
            throw new IllegalStateException(
                    "while waiting for " + what + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            seen.forEach(f -> f.cancel(false));
            long behind = seen.stream().filter(CompletableFuture::isCancelled).count();
            throw new IllegalStateException("waited " + timeout + " for " + what + "; " + behind + " agents short");
        }
        return seen.stream().mapToLong(CompletableFuture::join).toArray();
    }
}
