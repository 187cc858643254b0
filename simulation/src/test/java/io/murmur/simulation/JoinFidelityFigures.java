package io.murmur.simulation;

import io.murmur.membership.MemberEvent;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.MurmurNode;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.transport.Transport;
import io.murmur.transport.aeron.AeronMedia;
import io.murmur.transport.aeron.AeronTransport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A measurement command, not a test: the figures the simulator's {@code aeron} network model is calibrated from.
 *
 * <ul>
 *   <li>{@code latency}: on one shared Aeron media, the first-contact delay of a packet (held until its publication
 *       connects), warm packet round trips spaced as gossip spaces them, and reliable-path exchanges of push/pull
 *       size, cold (both routes new) and warm;
 *   <li>{@code join}: the bench's mass join (N real nodes in this JVM over Aeron, all through node 0), twice in the
 *       same JVM (cold, then with a fresh set of nodes once the JIT has compiled the join's paths), with the process
 *       and per-thread CPU spent from the joins to convergence, and the packets and bytes sent meanwhile.
 *   <li>{@code count}: the pieces of work and the bytes received plus sent that the simulator counts for the same
 *       mass join up to {@code window} seconds, with unlimited cores ({@code network=aeron}: the aeron model's hops
 *       and timer ticks), to set against the CPU the real join spends in that window.
 * </ul>
 *
 * <pre>
 * java -cp ... io.murmur.simulation.JoinFidelityFigures latency
 * java -cp ... io.murmur.simulation.JoinFidelityFigures join nodes=200 seed=1
 * java -cp ... io.murmur.simulation.JoinFidelityFigures count nodes=200 seed=1 window=2.18 network=aeron
 * </pre>
 */
public final class JoinFidelityFigures {

    private JoinFidelityFigures() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "latency";
        if (mode.equals("busy")) {
            int n = Integer.parseInt(arg(args, "nodes", "20"));
            Simulation sim = new Simulation(Long.parseLong(arg(args, "seed", "1")), MembershipConfig.local())
                    .cpu(new CpuModel(2, 20_000, 245));
            sim.network()
                    .latency(Latency.uniform(1_000_000, 3_500_000))
                    .connectionSetup(12_000_000, 5_000_000_000L)
                    .streamSetup(6_000_000)
                    .setupPerDestination(true);
            sim.startAlone(n);
            for (int i = 1; i < n; i++) {
                sim.join(i, 0);
            }
            for (int t = 1; t <= 60; t++) {
                sim.runUntil(t * 100_000_000L);
                long conv = sim.nodes().stream()
                        .filter(x -> x.view().aliveCount() == n)
                        .count();
                System.out.printf(
                        Locale.ROOT, "t=%.1f busy=%.3f converged=%d%n", t / 10.0, sim.cpuBusyNanos() / 1e9, conv);
            }
        } else if (mode.equals("count")) {
            count(
                    Integer.parseInt(arg(args, "nodes", "20")),
                    Long.parseLong(arg(args, "seed", "1")),
                    Double.parseDouble(arg(args, "window", "1")),
                    arg(args, "network", "ideal").equals("aeron"));
        } else if (mode.equals("latency")) {
            latency(Integer.parseInt(arg(args, "bytes", "6000")));
        } else {
            join(
                    Integer.parseInt(arg(args, "nodes", "20")),
                    Long.parseLong(arg(args, "seed", "1")),
                    Integer.parseInt(arg(args, "rounds", "2")));
        }
        System.exit(0);
    }

    // --- transport latency

    private static void latency(int requestBytes) throws Exception {
        try (AeronMedia media = AeronMedia.acquire()) {
            List<AeronTransport> ts = new ArrayList<>();
            SynchronousQueue<Long> arrivals = new SynchronousQueue<>();
            for (int i = 0; i < 6; i++) {
                ts.add(AeronTransport.bind(media, new Address("127.0.0.1", 0)));
            }
            for (AeronTransport t : ts) {
                t.start(new Transport.Listener() {
                    @Override
                    public void onPacket(Address from, byte[] packet) {
                        if (packet[0] == 1) {
                            t.send(from, new byte[] {2});
                        } else {
                            arrivals.offer(System.nanoTime());
                        }
                    }

                    @Override
                    public CompletionStage<byte[]> onRequest(Address from, byte[] request) {
                        return CompletableFuture.completedFuture(request);
                    }
                });
            }
            // first contact: one packet each to a destination nobody has sent to yet
            double[] first = new double[4];
            for (int i = 0; i < first.length; i++) {
                Thread.sleep(50);
                long sent = System.nanoTime();
                ts.get(i).send(ts.get(i + 1).localAddress(), new byte[] {3});
                Long at = arrivals.poll(5, TimeUnit.SECONDS);
                first[i] = at == null ? -1 : (at - sent) / 1e6;
            }
            // warm round trips between routes that already exist, 10-100 ms apart as gossip and probes space them
            double[] rtt = new double[100];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < rtt.length; i++) {
                Thread.sleep(10 + r.nextInt(90));
                long sent = System.nanoTime();
                ts.get(0).send(ts.get(1).localAddress(), new byte[] {1});
                Long at = arrivals.poll(5, TimeUnit.SECONDS);
                rtt[i] = at == null ? -1 : (at - sent) / 1e6;
            }
            // reliable path: cold (neither direction's stream route exists), then warm
            byte[] payload = new byte[requestBytes];
            double[] cold = new double[3];
            for (int i = 0; i < cold.length; i++) {
                long t0 = System.nanoTime();
                ts.get(5)
                        .request(ts.get(i + 2).localAddress(), payload, Duration.ofSeconds(5))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                cold[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] warm = new double[30];
            for (int i = 0; i < warm.length; i++) {
                Thread.sleep(10 + r.nextInt(90));
                long t0 = System.nanoTime();
                ts.get(5)
                        .request(ts.get(2).localAddress(), payload, Duration.ofSeconds(5))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                warm[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(rtt);
            Arrays.sort(warm);
            System.out.printf(
                    Locale.ROOT,
                    "{\"first_contact_ms\":%s,\"rtt_ms\":{\"min\":%.3f,\"p10\":%.3f,\"p50\":%.3f,\"mean\":%.3f,"
                            + "\"p90\":%.3f,\"max\":%.3f},\"request_bytes\":%d,\"request_cold_ms\":%s,"
                            + "\"request_warm_ms\":{\"p10\":%.3f,\"p50\":%.3f,\"p90\":%.3f}}%n",
                    Arrays.toString(first),
                    rtt[0],
                    rtt[10],
                    rtt[50],
                    Arrays.stream(rtt).average().orElse(0),
                    rtt[90],
                    rtt[99],
                    requestBytes,
                    Arrays.toString(cold),
                    warm[3],
                    warm[15],
                    warm[27]);
            ts.forEach(AeronTransport::close);
        }
    }

    // --- the simulator's count of the same join's work

    /**
     * The pieces of work and the bytes the simulated nodes handle in the first {@code window} seconds of the mass
     * join: what a {@link CpuModel} charges for. Counted with costs of one nanosecond (per piece, then per byte) on a
     * machine with more cores than nodes, so that counting changes nothing.
     */
    private static void count(int n, long seed, double window, boolean aeron) {
        long[] counts = new long[3];
        CpuModel[] models = {
            new CpuModel(100_000, 1, 0),
            new CpuModel(100_000, 0, 1),
            new CpuModel(100_000, 0, 0).withColdPackets(1_000_000, Long.MAX_VALUE)
        };
        for (int m = 0; m < models.length; m++) {
            Simulation sim = new Simulation(seed, MembershipConfig.local()).cpu(models[m]);
            if (aeron) {
                // the aeron network's hops and timer ticks, with cores enough that nothing waits for one
                sim.network()
                        .latency(Latency.uniform(1_000_000, 3_500_000))
                        .connectionSetup(12_000_000, 5_000_000_000L)
                        .streamSetup(6_000_000)
                        .coldStreamPath(25_000_000)
                        .setupPerDestination(true);
                sim.timerTicks(TimerTicks.PEKKO_DEFAULT);
            }
            sim.startAlone(n);
            for (int i = 1; i < n; i++) {
                sim.join(i, 0);
            }
            sim.runUntil((long) (window * 1e9));
            counts[m] = sim.cpuBusyNanos();
        }
        System.out.printf(
                Locale.ROOT,
                "{\"nodes\":%d,\"window_s\":%.3f,\"pieces\":%d,\"bytes\":%d,\"packets\":%d}%n",
                n,
                window,
                counts[0],
                counts[1],
                Math.round(counts[2] / 1e6));
    }

    // --- the bench's mass join, measured from the inside

    private static void join(int n, long seed, int rounds) throws Exception {
        MembershipConfig config = MembershipConfig.local();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "figures");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (AeronMedia media = AeronMedia.acquire()) {
            for (int round = 0; round < rounds; round++) {
                List<MurmurNode> nodes = new ArrayList<>();
                List<Set<String>> alive = new ArrayList<>();
                AtomicLongArray convergedAt = new AtomicLongArray(n);
                CountDownLatch converged = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    int index = i;
                    alive.add(new HashSet<>());
                    Transport t = AeronTransport.bind(media, new Address("127.0.0.1", 0));
                    MurmurNode node = MurmurNode.start(
                            system,
                            NodeSettings.of("r" + round + "n" + i, t.localAddress(), config)
                                    .withSeed(seed * 1_000_003L + i),
                            t);
                    node.subscribe(
                            system.systemActorOf(
                                    Behaviors.<MemberEvent>receiveMessage(e -> {
                                        if (e.type() == MemberEvent.Type.JOIN) {
                                            Set<String> a = alive.get(index);
                                            a.add(e.member().name());
                                            if (a.size() == n
                                                    && convergedAt.compareAndSet(index, 0, System.nanoTime())) {
                                                converged.countDown();
                                            }
                                        }
                                        return Behaviors.same();
                                    }),
                                    "ev-" + round + "-" + i,
                                    org.apache.pekko.actor.typed.Props.empty()),
                            true);
                    nodes.add(node);
                }
                for (MurmurNode m : nodes) {
                    m.members().toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
                long[] ids = threads.getAllThreadIds();
                long[] cpuBefore = threadCpu(threads, ids);
                long proc0 = os.getProcessCpuTime();
                long sentP0 = 0;
                long sentB0 = 0;
                long t0 = System.nanoTime();
                Address seedAddress = nodes.get(0).address();
                for (MurmurNode m : nodes.subList(1, n)) {
                    m.join(seedAddress);
                }
                converged.await(120, TimeUnit.SECONDS);
                long t1 = System.nanoTime();
                long proc1 = os.getProcessCpuTime();
                long[] cpuAfter = threadCpu(threads, ids);
                long packets = 0;
                long bytes = 0;
                for (MurmurNode m : nodes) {
                    packets += m.transportStats().packetsSent.sum();
                    bytes += m.transportStats().bytesSent.sum();
                }
                long[] times = new long[n];
                for (int i = 0; i < n; i++) {
                    times[i] = convergedAt.get(i) - t0;
                }
                Arrays.sort(times);
                Map<String, Double> byGroup = new TreeMap<>();
                for (int i = 0; i < ids.length; i++) {
                    ThreadInfo info = threads.getThreadInfo(ids[i]);
                    if (info == null || cpuBefore[i] < 0 || cpuAfter[i] < 0) {
                        continue;
                    }
                    byGroup.merge(group(info.getThreadName()), (cpuAfter[i] - cpuBefore[i]) / 1e9, Double::sum);
                }
                StringBuilder groups = new StringBuilder();
                byGroup.forEach((k, v) -> groups.append(groups.length() == 0 ? "" : ",")
                        .append(String.format(Locale.ROOT, "\"%s\":%.3f", k, v)));
                System.out.printf(
                        Locale.ROOT,
                        "{\"round\":%d,\"nodes\":%d,\"seed\":%d,\"converge_s\":%.3f,\"converge_50_s\":%.3f,"
                                + "\"converge_90_s\":%.3f,\"process_cpu_s\":%.3f,\"cpu_cores_busy\":%.2f,"
                                + "\"packets_sent\":%d,\"bytes_sent\":%d,\"thread_cpu_s\":{%s}}%n",
                        round,
                        n,
                        seed,
                        times[n - 1] / 1e9,
                        times[n / 2] / 1e9,
                        times[n * 9 / 10] / 1e9,
                        (proc1 - proc0) / 1e9,
                        (proc1 - proc0) / (double) (t1 - t0),
                        packets - sentP0,
                        bytes - sentB0,
                        groups);
                List<CompletableFuture<?>> stops = new ArrayList<>();
                for (MurmurNode m : nodes) {
                    stops.add(m.stop().toCompletableFuture());
                }
                CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                Thread.sleep(6_000); // idle routes close (5 s), so the next round's contacts are first contacts
            }
        } finally {
            system.terminate();
        }
    }

    private static String group(String thread) {
        if (thread.contains("aeron-driver")) {
            return "aeron_driver";
        }
        if (thread.contains("poller")) {
            return "aeron_poller";
        }
        if (thread.contains("dispatcher")) {
            return "pekko_dispatchers";
        }
        if (thread.contains("Compiler")) {
            return "jit";
        }
        if (thread.startsWith("GC") || thread.contains("G1")) {
            return "gc";
        }
        return "other";
    }

    private static long[] threadCpu(ThreadMXBean threads, long[] ids) {
        long[] cpu = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            cpu[i] = threads.getThreadCpuTime(ids[i]);
        }
        return cpu;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
