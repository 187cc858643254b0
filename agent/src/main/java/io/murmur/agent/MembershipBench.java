package io.murmur.agent;

import static io.murmur.agent.BenchOptions.max;
import static io.murmur.agent.BenchOptions.progress;
import static io.murmur.agent.BenchOptions.seconds;

import com.typesafe.config.ConfigFactory;
import io.murmur.membership.MemberEvent;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.MurmurNode;
import io.murmur.membership.QueueDepths;
import io.murmur.protocol.Keyring;
import io.murmur.protocol.SecuritySettings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code murmur bench membership}: N nodes in this JVM all join through node 0 at the same moment; measures how long
 * until every node sees N alive, the steady-state CPU and traffic once the gossip queues are empty, and how long until
 * the first and the last node declare a stopped node failed.
 *
 * <p>The steady state is measured once every gossip queue is empty and a settling time has passed (the JIT is still
 * compiling for a few seconds after a large join), over a quiet window: process CPU (driver and JVM included) divided
 * by N, and the packets and bytes the nodes sent, per node and second.
 */
@Command(
        name = "membership",
        mixinStandardHelpOptions = true,
        description = "Mass join, steady state and failure detection of N nodes in one JVM.")
final class MembershipBench implements Callable<Integer> {

    @Option(
            names = "--quiet-window",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Steady-state window for CPU and traffic (default ${DEFAULT-VALUE}).")
    Duration quietWindow;

    @Option(
            names = "--settle",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Wait after the gossip queues empty, before the steady-state window: the JIT compiles the"
                    + " join's code paths and the join's connections time out (default ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(
            names = "--timeout",
            defaultValue = "180s",
            converter = DurationConverter.class,
            description = "Longest wait for convergence or detection (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--encrypt",
            description = "Every node encrypts and requires encryption (AES-256-GCM, one 32-byte key for all).")
    boolean encrypt;

    @picocli.CommandLine.Mixin
    BenchOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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
        if (quietWindow.isZero() || quietWindow.isNegative()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--quiet-window must be positive");
        }
        String victim = "n" + (nodes - 1);
        List<Set<String>> alive = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            alive.add(new HashSet<>());
        }
        AtomicLongArray convergedAt = new AtomicLongArray(nodes);
        AtomicLongArray detectedAt = new AtomicLongArray(nodes);
        CountDownLatch converged = new CountDownLatch(nodes);
        CountDownLatch detected = new CountDownLatch(nodes - 1);
        java.util.concurrent.atomic.AtomicLong victimStoppedAt = new java.util.concurrent.atomic.AtomicLong();

        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "murmur-bench", ConfigFactory.load());
        // One random key for the whole cluster; each node gets its own keyring object, as separate processes would.
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        java.util.function.IntFunction<SecuritySettings> security =
                i -> encrypt ? SecuritySettings.encrypted(Keyring.of(List.of(key))) : SecuritySettings.NONE;
        try (LocalCluster<MurmurNode> cluster = LocalCluster.membership(system, kind, config, seed, (i, e) -> {
            String name = e.member().name();
            if (e.type() == MemberEvent.Type.JOIN) {
                alive.get(i).add(name);
                if (alive.get(i).size() == nodes && convergedAt.compareAndSet(i, 0, System.nanoTime())) {
                    converged.countDown();
                }
            } else if (e.type() != MemberEvent.Type.UPDATE) {
                alive.get(i).remove(name);
                // Only what happens after the victim is stopped counts as detecting it.
                if (name.equals(victim)
                        && victimStoppedAt.get() != 0
                        && detectedAt.compareAndSet(i, 0, System.nanoTime())) {
                    detected.countDown();
                }
            }
        })) {
            cluster.withSecurity(security);
            progress(
                    "starting %d nodes (%s profile, %s transport%s)",
                    nodes, profile, kind.label(), encrypt ? ", encrypted" : "");
            for (int i = 0; i < nodes; i++) {
                cluster.start();
            }
            // Let every node's actors come up before the clock starts.
            for (MurmurNode n : cluster.nodes()) {
                n.members().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long joinCpu0 = os.getProcessCpuTime();
            long[] joinSent0 = cluster.sentTotals();
            long joinStart = System.nanoTime();
            long[] joinedAt = new long[nodes];
            List<CompletableFuture<Integer>> joins = cluster.joinAllThroughFirst((n, seedAddress) -> n.join(seedAddress)
                    .thenApply(r -> {
                        joinedAt[cluster.nodes().indexOf(n)] = System.nanoTime();
                        return r.joined();
                    }));
            if (!converged.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "no convergence within " + timeout + " (" + converged.getCount() + " nodes short)");
            }
            double convergeS = seconds(max(convergedAt) - joinStart);
            double joinCpuS = seconds(os.getProcessCpuTime() - joinCpu0);
            long[] joinSent = cluster.sentTotals();
            long joinedSeeds = joins.stream()
                    .mapToInt(CompletableFuture::join)
                    .filter(n -> n > 0)
                    .count();
            progress(
                    "converged in %.3f s, %.1f s of CPU, %d packets of %d kB sent (%d of %d joins reached the seed;"
                            + " joins returned: %s)",
                    convergeS,
                    joinCpuS,
                    joinSent[0] - joinSent0[0],
                    (joinSent[1] - joinSent0[1]) / 1000,
                    joinedSeeds,
                    nodes - 1,
                    BenchOptions.spread(joinedAt, joinStart));
            long[] perNode = new long[nodes];
            for (int i = 0; i < nodes; i++) {
                perNode[i] = convergedAt.get(i) - joinStart;
            }
            java.util.Arrays.sort(perNode);
            progress(
                    "nodes converged: half by %.3f s, 90 %% by %.3f s; %s",
                    seconds(perNode[nodes / 2]), seconds(perNode[nodes * 9 / 10]), cluster.aeronCounters());

            awaitEmptyQueues(cluster);
            new CountDownLatch(1).await(settle.toMillis(), TimeUnit.MILLISECONDS);
            long cpu0 = os.getProcessCpuTime();
            long[] sent0 = cluster.sentTotals();
            long t0 = System.nanoTime();
            new CountDownLatch(1).await(quietWindow.toMillis(), TimeUnit.MILLISECONDS);
            long wall = System.nanoTime() - t0;
            double cpuPct = 100.0 * (os.getProcessCpuTime() - cpu0) / wall / nodes;
            long[] sent1 = cluster.sentTotals();
            double perNodeSecond = nodes * (wall / 1e9);
            double packets = (sent1[0] - sent0[0]) / perNodeSecond;
            double bytes = (sent1[1] - sent0[1]) / perNodeSecond;
            progress(
                    "steady state: %.3f %% CPU per node, %.2f packets and %.0f bytes per node per second",
                    cpuPct, packets, bytes);

            long stopAt = System.nanoTime();
            victimStoppedAt.set(stopAt);
            cluster.get(nodes - 1).stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (!detected.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the failure of " + victim + " was not detected by "
                        + detected.getCount() + " nodes within " + timeout);
            }
            double firstS = seconds(min(detectedAt, nodes - 1) - stopAt);
            double allS = seconds(max(detectedAt) - stopAt);
            progress("%s detected as failed: first after %.3f s, by all after %.3f s", victim, firstS, allS);

            System.gc();
            double heapMb =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
            String result = String.format(
                    Locale.ROOT,
                    "{\"nodes\":%d,\"profile\":\"%s\",\"transport\":\"%s\",\"converge_s\":%.3f,"
                            + "\"fail_first_detect_s\":%.3f,\"fail_all_detect_s\":%.3f,"
                            + "\"steady_cpu_pct_per_node\":%.4f,\"packets_per_node_per_s\":%.3f,"
                            + "\"bytes_per_node_per_s\":%.1f,\"heap_mb\":%.1f,\"cores\":%d,\"seed\":%d,"
                            + "\"encrypt\":%b}",
                    nodes,
                    profile,
                    kind.label(),
                    convergeS,
                    firstS,
                    allS,
                    cpuPct,
                    packets,
                    bytes,
                    heapMb,
                    Runtime.getRuntime().availableProcessors(),
                    seed,
                    encrypt);
            if (json) {
                System.out.println(result);
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "nodes %d, %s profile, %s transport, %d cores%n"
                                + "  converge            %8.3f s%n"
                                + "  failure, first      %8.3f s%n"
                                + "  failure, all        %8.3f s%n"
                                + "  steady CPU per node %8.4f %%%n"
                                + "  packets/node/s      %8.3f%n"
                                + "  bytes/node/s        %8.1f%n"
                                + "  heap                %8.1f MB%n",
                        nodes,
                        profile,
                        kind.label(),
                        Runtime.getRuntime().availableProcessors(),
                        convergeS,
                        firstS,
                        allS,
                        cpuPct,
                        packets,
                        bytes,
                        heapMb);
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return 0;
    }

    /** Waits (up to the timeout) until no node has broadcasts left to send: the join traffic is over. */
    private void awaitEmptyQueues(LocalCluster<MurmurNode> cluster) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int queued = 0;
            for (MurmurNode n : cluster.nodes()) {
                QueueDepths q = n.queueDepths().toCompletableFuture().get(30, TimeUnit.SECONDS);
                queued += q.membership() + q.user();
            }
            if (queued == 0) {
                return;
            }
            new CountDownLatch(1).await(100, TimeUnit.MILLISECONDS);
        }
        progress("gossip queues still not empty after %s; measuring anyway", timeout);
    }

    private static long min(AtomicLongArray a, int length) {
        long m = Long.MAX_VALUE;
        for (int i = 0; i < length; i++) {
            m = Math.min(m, a.get(i));
        }
        return m;
    }
}
