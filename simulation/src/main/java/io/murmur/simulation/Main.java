package io.murmur.simulation;

import io.murmur.membership.MembershipConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code murmur simulate}: runs a built-in scenario in the deterministic simulator and prints its figures (with
 * {@code --json}, the last line is one JSON object).
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a cluster scenario in virtual time: the real protocol cores, a simulated network, one seed.",
            "Scenarios: join (mass join through node 0), fail (a crash at 5 s), partition (two halves, then the heal),",
            "lifeguard (starved members paused in bursts), churn (crashes, leaves, restarts), broadcast (one update)."
        })
public final class Main implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "100", description = "Cluster size (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--scenario",
            defaultValue = "fail",
            description = "join, fail, partition, lifeguard, churn or broadcast (default ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the run (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--runs", defaultValue = "1", description = "Runs, with seeds seed, seed+1, ... (default 1).")
    int runs;

    @Option(names = "--profile", defaultValue = "lan", description = "lan, wan or local (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--loss", defaultValue = "0", description = "Packet loss probability (default 0).")
    double loss;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            description = "Simulated time (default: the scenario's own).")
    Duration duration;

    @Option(names = "--lifeguard", defaultValue = "on", description = "on or off (default ${DEFAULT-VALUE}).")
    String lifeguard;

    @Option(
            names = "--starved",
            defaultValue = "4",
            description = "Starved members in the lifeguard scenario (default ${DEFAULT-VALUE}).")
    int starved;

    @Option(
            names = "--network",
            defaultValue = "ideal",
            description = "ideal (latency only) or aeron (N nodes in one JVM on this 2-core machine over Murmur's Aeron"
                    + " transport: measured hop latency, connection setup, timer ticks, and CPU shared by all nodes)"
                    + " (default ${DEFAULT-VALUE}).")
    String networkKind;

    @Option(names = "--json", description = "End with one line of JSON.")
    boolean json;

    @Option(names = "--plot", description = "Draw the convergence and detection curves into FILE (.png or .svg).")
    Path plot;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        MembershipConfig config = config();
        if (runs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1");
        }
        if (!(loss >= 0 && loss < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--loss must be within [0, 1)");
        }
        if (plot != null
                && !(plot.toString().endsWith(".png") || plot.toString().endsWith(".svg"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--plot must name a .png or .svg file");
        }
        List<RunResult> results = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Scenario s = scenario(config);
            long runSeed = seed + r;
            System.err.printf(
                    Locale.ROOT,
                    "simulate: %s, %d nodes, %s profile, lifeguard %s, loss %.3f, seed %d, %.0f s%n",
                    s.name(),
                    nodes,
                    profile,
                    lifeguard,
                    loss,
                    runSeed,
                    s.duration().toSeconds() * 1.0);
            RunResult result = s.run(runSeed, (sim, total, wall, events) -> {
                if (wall > 2) {
                    System.err.printf(
                            Locale.ROOT,
                            "  %6.1f / %.0f s simulated, %.1f s wall, %,d events%n",
                            sim,
                            total,
                            wall,
                            events);
                }
            });
            results.add(result);
            printSummary(result);
            if (json) {
                System.out.println(result.toJson());
            }
        }
        if (plot != null) {
            Plots.write(plot, results);
            System.err.println("simulate: wrote " + plot);
        }
        if (runs > 1) {
            printMedians(results);
        }
        return 0;
    }

    private MembershipConfig config() {
        boolean on = switch (lifeguard.toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default ->
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--lifeguard must be on or off, not '" + lifeguard + "'");
        };
        MembershipConfig base;
        try {
            base = MembershipConfig.fromProfile(profile);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return base.toBuilder().lifeguard(on).build();
    }

    private Scenario scenario(MembershipConfig config) {
        Scenario s;
        try {
            s = Scenario.builtIn(scenario, nodes, config, duration, starved);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (loss > 0) {
            s.network(net -> net.loss(loss));
        }
        switch (networkKind) {
            case "ideal" -> {}
            case "aeron" -> aeron(s);
            default ->
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--network must be ideal or aeron, not '" + networkKind + "'");
        }
        return s;
    }

    /**
     * Murmur's Aeron transport with every node in one JVM on this machine (2 cores), as {@code murmur bench membership}
     * runs them; each figure measured here (docs/benchmarks.md, "Simulator fidelity"):
     *
     * <ul>
     *   <li>one-way latency uniform in 1.0-3.5 ms: warm round trips on the shared media (the driver and the poller park
     *       1-2 ms after work) had p10 / p50 / p90 of 2.6 / 4.5 / 6.9 ms;
     *   <li>first contact with a destination 12 ms more, again after 5 s idle (its publication connects; a packet sent
     *       meanwhile is held); one connection per destination serves every node of the JVM;
     *   <li>the reliable path's own stream connects separately, 6 ms more per direction (a cold push/pull-sized
     *       exchange took 14-22 ms against 3.5-5 ms warm);
     *   <li>timers fire on the ticks of Pekko's default scheduler (a 10 ms timer wheel): a 100 ms timer re-armed as it
     *       fires was p50 20 ms late, and the real nodes' gossip rounds were 120 ms apart;
     *   <li>in a fresh JVM the reliable path holds what it sends for 25 ms after its first use: the mass join's first
     *       exchanges with the seed were answered 23-28 ms later (earliest) and 18-32 ms later (p50) than in a warm JVM
     *       at N=20, where CPU is not short;
     *   <li>CPU, from the per-thread CPU of {@code murmur bench membership}'s own join window (medians of seeds 1-3 at
     *       N = 20, 50, 200) set against what the simulator counts in the same window: the JIT's compiler threads
     *       (0.3-0.5 CPU-s of a 0.43 s join at N=20, 1.4 of a 2.5 s join at N=200) hold one core from time 0 for
     *       1.5 s; the nodes' dispatcher and GC (0.12 / 0.29 / 2.0 CPU-s) are 20 µs per piece of work (from the
     *       steady-state CPU per node) plus 61 ns per byte received or sent, plus 0.57 ms for the first packet the
     *       JVM handles, fading by e every 575 packets as the JIT compiles the paths (the code runs interpreted
     *       first); Aeron's driver and the poller (0.12 / 0.23 / 1.46 CPU-s) are 110 ns per byte that arrives plus
     *       0.81 ms for the first packet, fading by e every 240 packets; they queue for a core as a node does, but
     *       no node waits for them. Everything shares 2 cores.
     * </ul>
     */
    static void aeron(Scenario s) {
        s.network(net -> net.latency(Latency.uniform(1_000_000, 3_500_000))
                .connectionSetup(12_000_000, 5_000_000_000L)
                .streamSetup(6_000_000)
                .coldStreamPath(25_000_000)
                .setupPerDestination(true));
        s.cpu(new CpuModel(2, 20_000, 61, 1_500_000_000)
                .withColdPackets(566_000, 575)
                .withTransport(new CpuModel.Cost(0, 110, 808_000, 240)));
        s.timerTicks(TimerTicks.PEKKO_DEFAULT);
    }

    private static void printSummary(RunResult r) {
        System.err.printf(
                Locale.ROOT,
                "  %.1f s simulated in %.1f s (%.1fx real time), %,d events, trace %s, peak heap %.0f MB%n",
                r.simSeconds(),
                r.wallSeconds(),
                r.speedup(),
                r.events(),
                r.traceHash(),
                r.peakHeapMb());
        if (r.convergence() != null) {
            System.err.printf(
                    Locale.ROOT,
                    "  convergence: 50 %% %s, 99 %% %s, 99.99 %% %s, 100 %% %s (%d of %d nodes)%n",
                    seconds(r.convergeSeconds(0.5)),
                    seconds(r.convergeSeconds(0.99)),
                    seconds(r.convergeSeconds(0.9999)),
                    seconds(r.convergeSeconds()),
                    r.convergence().reached(),
                    r.convergence().total());
        }
        if (r.detection() != null) {
            System.err.printf(
                    Locale.ROOT,
                    "  failure detected: first %s, all %s%n",
                    seconds(r.failFirstDetectSeconds()),
                    seconds(r.failAllDetectSeconds()));
        }
        System.err.printf(
                Locale.ROOT,
                "  false positives: %d healthy members declared failed by healthy ones (%.1f s in all), %d by anyone;"
                        + " %d failures of harmed members%n",
                r.falsePositives(),
                r.falsePositiveSeconds(),
                r.falsePositivesByAnyObserver(),
                r.failuresOfHarmed());
        System.err.printf(
                Locale.ROOT,
                "  traffic: %.2f packets and %.0f bytes per node per second; largest gossip queue %d%n",
                r.msgsPerNodePerSecond(),
                r.bytesPerNodePerSecond(),
                r.maxQueueDepth());
    }

    private void printMedians(List<RunResult> results) {
        System.err.printf(
                Locale.ROOT,
                "medians of %d runs: converge %s, detected by all %s, false positives %s, %.1fx real time%n",
                results.size(),
                seconds(median(results, RunResult::convergeSeconds)),
                seconds(median(results, RunResult::failAllDetectSeconds)),
                median(results, r -> r.falsePositives()),
                median(results, RunResult::speedup));
    }

    static double median(List<RunResult> results, ToDoubleFunction<RunResult> f) {
        double[] v = results.stream()
                .mapToDouble(f)
                .filter(d -> !Double.isNaN(d))
                .sorted()
                .toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.2f s", s);
    }

    /** Reads {@code 500ms}, {@code 10s}, {@code 2m} as the configuration files write durations. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return MembershipConfig.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
