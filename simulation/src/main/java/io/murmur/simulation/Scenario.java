package io.murmur.simulation;

import io.murmur.membership.MembershipConfig;
import io.murmur.protocol.Bytes;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * A simulation as code: how the cluster starts, what the network is like, what happens when, and what to measure.
 *
 * <pre>{@code
 * RunResult r = Scenario.named("rolling restart")
 *         .nodes(50).config(MembershipConfig.lan())
 *         .network(net -> net.loss(0.02))
 *         .at(Duration.ofSeconds(10), sim -> sim.crash(3))
 *         .at(Duration.ofSeconds(20), sim -> sim.restart(3, 0))
 *         .harms(3)
 *         .track(Duration.ofSeconds(20), () -> Track.allAlive(50), i -> true)
 *         .runFor(Duration.ofSeconds(60))
 *         .run(42, null);
 * }</pre>
 */
public final class Scenario {

    /** How the cluster begins. */
    public enum Start {
        /** Every node already knows every other (a cluster that has been running). */
        CONVERGED,
        /** Every node alone; nodes 1..N-1 join through node 0 at time 0. */
        MASS_JOIN
    }

    /** Told about progress during a long run. */
    @FunctionalInterface
    public interface Progress {
        void at(double simSeconds, double totalSimSeconds, double wallSeconds, long events);
    }

    private record Step(long at, Consumer<Simulation> action) {}

    private final String name;
    private int nodes = 100;
    private MembershipConfig config = MembershipConfig.lan();
    private Start start = Start.CONVERGED;
    private Duration duration = Duration.ofSeconds(60);
    private Consumer<NetworkModel> network = n -> {};
    private final List<Step> steps = new ArrayList<>();
    private final Set<Integer> harmed = new HashSet<>();
    private boolean allHarmed;
    private Supplier<Track> track;
    private long trackFrom;
    private IntPredicate trackCounts = i -> true;
    private boolean stopWhenTracked;
    private int victim = -1;
    private CpuModel cpu;
    private TimerTicks timerTicks;
    private long victimFrom;

    private Scenario(String name) {
        this.name = name;
    }

    public static Scenario named(String name) {
        return new Scenario(name);
    }

    public String name() {
        return name;
    }

    public Scenario nodes(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("a scenario needs at least 2 nodes");
        }
        this.nodes = n;
        return this;
    }

    public int nodes() {
        return nodes;
    }

    public Scenario config(MembershipConfig c) {
        this.config = c;
        return this;
    }

    public MembershipConfig config() {
        return config;
    }

    public Scenario start(Start s) {
        this.start = s;
        return this;
    }

    public Scenario runFor(Duration d) {
        this.duration = d;
        return this;
    }

    public Duration duration() {
        return duration;
    }

    /** Sets up the network before the run (loss, latency...); steps can change it later. */
    public Scenario network(Consumer<NetworkModel> setup) {
        this.network = this.network.andThen(setup);
        return this;
    }

    /**
     * Runs every node on one machine of {@code model.cores()} cores, each piece of work costing CPU time (N node
     * actors in one JVM); null (the default) gives each node a machine of its own on which work costs nothing.
     */
    public Scenario cpu(CpuModel model) {
        this.cpu = model;
        return this;
    }

    /** Fires the nodes' timers on the ticks of {@code ticks} (the actors' scheduler); null (the default): on time. */
    public Scenario timerTicks(TimerTicks ticks) {
        this.timerTicks = ticks;
        return this;
    }

    /** Does {@code action} at {@code at} after the start. */
    public Scenario at(Duration at, Consumer<Simulation> action) {
        steps.add(new Step(at.toNanos(), action));
        return this;
    }

    /** Marks nodes the scenario harms (crashes, pauses, cuts off): their failures are not false positives. */
    public Scenario harms(int... indexes) {
        for (int i : indexes) {
            harmed.add(i);
        }
        return this;
    }

    /** Every node may be harmed (a partition): no failure counts as a false positive. */
    public Scenario harmsAll() {
        this.allHarmed = true;
        return this;
    }

    /** What the convergence curve follows, from {@code from} on, over the nodes {@code counts} accepts. */
    public Scenario track(Duration from, Supplier<Track> t, IntPredicate counts) {
        this.track = t;
        this.trackFrom = from.toNanos();
        this.trackCounts = counts;
        return this;
    }

    /** Ends the run as soon as the tracked change has reached every node it should. */
    public Scenario stopWhenTracked() {
        this.stopWhenTracked = true;
        return this;
    }

    /** The node whose failure the run's detection figures are about, harmed at {@code from}. */
    public Scenario victim(int node, Duration from) {
        this.victim = node;
        this.victimFrom = from.toNanos();
        return this;
    }

    boolean healthy(int node) {
        return !allHarmed && !harmed.contains(node);
    }

    /** Runs the scenario from {@code seed}; {@code progress} (may be null) hears about long runs. */
    public RunResult run(long seed, Progress progress) {
        resetPeakHeap();
        long wallStart = System.nanoTime();
        Simulation sim = new Simulation(seed, config);
        network.accept(sim.network());
        sim.cpu(cpu);
        sim.timerTicks(timerTicks);
        Track t = track == null ? null : track.get();
        FalsePositives falsePositives = new FalsePositives(this::healthy);
        sim.observe(falsePositives);
        if (t != null) {
            sim.observe(t);
            t.arm(trackFrom, nodes, trackCounts);
        }
        Track detection = victim >= 0 ? Track.failureOf(victim) : null;
        if (detection != null) {
            sim.observe(detection);
        }
        if (start == Start.CONVERGED) {
            sim.startConverged(nodes);
        } else {
            sim.startAlone(nodes);
            for (int i = 1; i < nodes; i++) {
                sim.join(i, 0);
            }
        }
        for (Step s : steps) {
            sim.at(s.at(), () -> s.action().accept(sim));
        }
        if (detection != null) {
            detection.arm(victimFrom, nodes, i -> i != victim);
        }
        long end = duration.toNanos();
        long step = Math.max(1_000_000_000L, end / 20);
        int maxQueue = 0;
        for (long at = 0; at < end; ) {
            at = Math.min(end, at + 1_000_000_000L);
            sim.runUntil(at);
            maxQueue = Math.max(maxQueue, sim.maxQueueDepth());
            if (progress != null && at % step < 1_000_000_000L) {
                progress.at(at / 1e9, end / 1e9, (System.nanoTime() - wallStart) / 1e9, sim.events());
            }
            if (stopWhenTracked && t != null && t.curve().reached() == t.curve().total() && at > trackFrom) {
                break;
            }
        }
        double simSeconds = sim.now() / 1e9;
        double wall = (System.nanoTime() - wallStart) / 1e9;
        return new RunResult(
                name,
                nodes,
                seed,
                config,
                simSeconds,
                wall,
                sim.events(),
                sim.traceHash(),
                t == null ? null : t.curve(),
                detection == null ? null : detection.curve(),
                falsePositives.count(),
                falsePositives.byAnyObserver(),
                falsePositives.seconds(sim.now()),
                falsePositives.aboutUnhealthy(),
                sim.packets / (nodes * Math.max(simSeconds, 1e-9)),
                sim.bytes / (nodes * Math.max(simSeconds, 1e-9)),
                maxQueue,
                peakHeapMb());
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1048576.0;
    }

    // --- the built-in scenarios

    /** The names {@link #builtIn} knows. */
    public static final List<String> BUILT_INS =
            List.of("join", "fail", "partition", "lifeguard", "churn", "broadcast");

    /**
     * A built-in scenario. {@code duration} null means the scenario's own default; {@code starved} is the number of
     * starved members of the lifeguard scenario.
     */
    public static Scenario builtIn(String name, int n, MembershipConfig config, Duration duration, int starved) {
        Scenario s = switch (name) {
            case "join" -> join(n, or(duration, 120));
            case "fail" -> fail(n, or(duration, 60));
            case "partition" -> partition(n, config, duration);
            case "lifeguard" -> lifeguard(n, starved, or(duration, 120));
            case "churn" -> churn(n, or(duration, 120));
            case "broadcast" -> broadcast(n, or(duration, 60));
            default ->
                throw new IllegalArgumentException(
                        "unknown scenario '" + name + "' (expected one of " + String.join(", ", BUILT_INS) + ")");
        };
        return s.config(config);
    }

    private static Duration or(Duration d, long defaultSeconds) {
        return d != null ? d : Duration.ofSeconds(defaultSeconds);
    }

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    /** Mass join: N nodes alone, all joining through node 0 at once; tracks every node seeing N alive. */
    public static Scenario join(int n, Duration duration) {
        return named("join")
                .nodes(n)
                .start(Start.MASS_JOIN)
                .track(Duration.ZERO, () -> Track.allAlive(n), i -> true)
                .stopWhenTracked()
                .runFor(duration);
    }

    /** A converged cluster; the last node crashes at 5 s; tracks its detection by every other node. */
    public static Scenario fail(int n, Duration duration) {
        int victim = n - 1;
        return named("fail")
                .nodes(n)
                .at(FIVE_SECONDS, sim -> sim.crash(victim))
                .harms(victim)
                .victim(victim, FIVE_SECONDS)
                .track(FIVE_SECONDS, () -> Track.failureOf(victim), i -> i != victim)
                .runFor(duration);
    }

    /**
     * A converged cluster split in two halves at 5 s. The partition lasts until both halves have declared the other
     * dead and forgotten it (the longest suspicion, plus the gossip-to-the-dead time, plus 10 s), then heals; tracks
     * every node seeing all N alive again after the heal. {@code duration} null: 60 s after the heal.
     */
    public static Scenario partition(int n, MembershipConfig config, Duration duration) {
        long forget = config.gossipToTheDeadTime().toNanos();
        long suspicion = io.murmur.membership.MemberTable.suspicionTimeout(
                        config.suspicionMult(), n, config.probeInterval().toNanos())
                * config.suspicionMaxTimeoutMult();
        Duration healAt = FIVE_SECONDS.plusNanos(suspicion + forget).plusSeconds(10);
        int[] groups = new int[n];
        for (int i = n / 2; i < n; i++) {
            groups[i] = 1;
        }
        return named("partition")
                .nodes(n)
                .at(FIVE_SECONDS, sim -> sim.network().partition(groups))
                .at(healAt, sim -> sim.network().heal())
                .harmsAll()
                .track(healAt, () -> Track.allAlive(n), i -> true)
                .stopWhenTracked()
                .runFor(duration != null ? duration : healAt.plusSeconds(60));
    }

    /**
     * Lifeguard's experiment: in a converged cluster the first {@code starved} members are starved, paused in bursts
     * (1 to 8 s each, 0.2 to 2 s apart), from 5 s until 10 s before the end; counts healthy members declared failed.
     */
    public static Scenario lifeguard(int n, int starved, Duration duration) {
        if (starved < 0 || starved >= n) {
            throw new IllegalArgumentException("starved must be within [0, nodes)");
        }
        long until = duration.minusSeconds(10).toNanos();
        Scenario s = named("lifeguard").nodes(n).runFor(duration);
        for (int i = 0; i < starved; i++) {
            int node = i;
            s.harms(node);
            s.at(FIVE_SECONDS, sim -> starve(sim, node, until, new SplittableRandom(sim.seed() * 31 + node)));
        }
        return s;
    }

    private static void starve(Simulation sim, int node, long until, SplittableRandom random) {
        long burst = 5_000_000_000L + random.nextLong(15_000_000_000L);
        long cost = 200_000_000L + random.nextLong(300_000_000L);
        long rest = 2_000_000_000L + random.nextLong(3_000_000_000L);
        sim.slow(node, cost);
        if (random.nextInt(3) == 0) {
            sim.pause(node, 1_000_000_000L + random.nextLong(3_000_000_000L));
        }
        sim.at(sim.now() + burst, () -> sim.slow(node, 0));
        long next = sim.now() + burst + rest;
        if (next < until) {
            sim.at(next, () -> starve(sim, node, until, random));
        }
    }

    /**
     * Churn: in a converged cluster, from 5 s until 30 s before the end, a random node (never node 0) crashes every
     * 2 s and restarts 10 s later through node 0; every fifth such event is a graceful leave instead. Tracks every node
     * seeing all N alive again after the churn (from 20 s before the end).
     */
    public static Scenario churn(int n, Duration duration) {
        long until = duration.minusSeconds(30).toNanos();
        Duration trackFrom = duration.minusSeconds(20);
        return named("churn")
                .nodes(n)
                .at(FIVE_SECONDS, sim -> churnStep(sim, new SplittableRandom(sim.seed() * 17), until, 0))
                .harmsAll()
                .track(trackFrom, () -> Track.allAlive(n), i -> true)
                .runFor(duration);
    }

    private static void churnStep(Simulation sim, SplittableRandom random, long until, int count) {
        if (sim.now() >= until) {
            return;
        }
        int node = 1 + random.nextInt(sim.size() - 1);
        if (count % 5 == 4) {
            sim.leave(node);
        } else {
            sim.crash(node);
        }
        sim.at(sim.now() + 10_000_000_000L, () -> sim.restart(node, 0));
        sim.at(sim.now() + 2_000_000_000L, () -> churnStep(sim, random, until, count + 1));
    }

    /**
     * One broadcast: in a converged cluster node 0 gossips new metadata at 5 s; tracks every other node learning it
     * (the dissemination curve: 50 %, 99 %, 99.99 %).
     */
    public static Scenario broadcast(int n, Duration duration) {
        return named("broadcast")
                .nodes(n)
                .at(FIVE_SECONDS, sim -> sim.updateMeta(0, Bytes.utf8("v2")))
                .track(FIVE_SECONDS, () -> Track.incarnationOf(0, 2), i -> i != 0)
                .stopWhenTracked()
                .runFor(duration);
    }
}
