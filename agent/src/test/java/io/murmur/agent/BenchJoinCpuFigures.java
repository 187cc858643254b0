package io.murmur.agent;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A measurement command, not a test: the process CPU time {@code murmur bench membership} itself spends on its mass
 * join, for the simulator's CPU model (docs/benchmarks.md, "Simulator fidelity"). Runs the real bench unchanged in this
 * (fresh) JVM, with a thread sampling the process CPU time every 2 ms, and takes the join window from the bench's own
 * output: its "converged in X s" line is printed as the last node converges, so the joins started X s before it.
 * Prints one JSON line: the CPU-seconds from the joins to convergence, the CPU-seconds spent before the joins (JVM,
 * driver and node start-up), and the mean cores busy in the window.
 *
 * <pre>
 * java --add-opens ... -cp agent/target/murmur-agent.jar:agent/target/test-classes \
 *     io.murmur.agent.BenchJoinCpuFigures --nodes 200 --profile local --transport aeron --seed 1
 * </pre>
 */
public final class BenchJoinCpuFigures {

    private static final int SAMPLES = 1 << 20;
    private static final long[] at = new long[SAMPLES];
    private static final long[] cpu = new long[SAMPLES];
    private static volatile int count;
    private static volatile long convergedLineAt;
    private static volatile double convergeS = -1;

    private BenchJoinCpuFigures() {}

    public static void main(String[] args) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread sampler = new Thread(
                () -> {
                    while (count < SAMPLES) {
                        int i = count;
                        at[i] = System.nanoTime();
                        cpu[i] = os.getProcessCpuTime();
                        count = i + 1;
                        LockSupport.parkNanos(2_000_000);
                    }
                },
                "cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Thread tasks = new Thread(BenchJoinCpuFigures::sampleTasks, "task-sampler");
        tasks.setDaemon(true);
        tasks.start();
        PrintStream err = System.err;
        Pattern converged = Pattern.compile("converged in ([0-9.]+) s");
        System.setErr(new PrintStream(
                new OutputStream() {
                    private final StringBuilder line = new StringBuilder();

                    @Override
                    public synchronized void write(int b) {
                        if (b == '\n') {
                            Matcher m = converged.matcher(line);
                            if (convergeS < 0 && m.find()) {
                                convergedLineAt = System.nanoTime();
                                convergeS = Double.parseDouble(m.group(1));
                            }
                            line.setLength(0);
                        } else {
                            line.append((char) b);
                        }
                        err.write(b);
                    }
                },
                true));
        String[] bench = new String[args.length + 2];
        bench[0] = "bench";
        bench[1] = "membership";
        System.arraycopy(args, 0, bench, 2, args.length);
        int code = Main.run(bench);
        if (convergeS < 0) {
            err.println("no convergence line");
            System.exit(1);
        }
        long end = convergedLineAt;
        long start = end - (long) (convergeS * 1e9);
        double windowCpu = (cpuAt(end) - cpuAt(start)) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "{\"converge_s\":%.3f,\"join_cpu_s\":%.3f,\"before_join_cpu_s\":%.3f,\"cores_busy\":%.2f}%n",
                convergeS,
                windowCpu,
                cpuAt(start) / 1e9,
                windowCpu / convergeS);
        // per thread kind, from /proc/self/task/*/schedstat sampled every 25 ms (the samples nearest the window)
        Map<String, Long> a = nearest(start);
        Map<String, Long> b = nearest(end);
        StringBuilder kinds = new StringBuilder("{");
        for (var e : new TreeMap<>(b).entrySet()) {
            long d = e.getValue() - a.getOrDefault(e.getKey(), 0L);
            if (d >= 5_000_000) {
                kinds.append(kinds.length() > 1 ? "," : "")
                        .append(String.format(Locale.ROOT, "\"%s\":%.3f", e.getKey(), d / 1e9));
            }
        }
        System.out.println("{\"join_cpu_by_thread_kind_s\":" + kinds + "}}");
        System.exit(code);
    }

    private static final List<Long> taskAt = new ArrayList<>();
    private static final List<Map<String, Long>> taskCpu = new ArrayList<>();

    /** Every 25 ms, the CPU time of each kind of thread (its name without digits), alive or ended. */
    private static void sampleTasks() {
        Map<String, String> names = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        while (true) {
            File[] ts = new File("/proc/self/task").listFiles();
            for (File t : ts == null ? new File[0] : ts) {
                try {
                    String name = names.get(t.getName());
                    if (name == null) {
                        name = Files.readString(new File(t, "comm").toPath())
                                .trim()
                                .replaceAll("[0-9]+", "#");
                        names.put(t.getName(), name);
                    }
                    String stat = Files.readString(new File(t, "schedstat").toPath());
                    last.put(t.getName(), Long.parseLong(stat.substring(0, stat.indexOf(' '))));
                } catch (Exception e) {
                    // the thread ended: keep its last figure
                }
            }
            Map<String, Long> byKind = new HashMap<>();
            last.forEach((tid, ns) -> byKind.merge(names.get(tid), ns, Long::sum));
            synchronized (taskAt) {
                taskAt.add(System.nanoTime());
                taskCpu.add(byKind);
            }
            LockSupport.parkNanos(25_000_000);
        }
    }

    private static Map<String, Long> nearest(long t) {
        synchronized (taskAt) {
            int best = 0;
            for (int i = 0; i < taskAt.size(); i++) {
                if (Math.abs(taskAt.get(i) - t) < Math.abs(taskAt.get(best) - t)) {
                    best = i;
                }
            }
            return taskCpu.get(best);
        }
    }

    /** The process CPU time at {@code t}, interpolated between the samples around it. */
    private static long cpuAt(long t) {
        int n = count;
        for (int i = 1; i < n; i++) {
            if (at[i] >= t) {
                double f = (double) (t - at[i - 1]) / Math.max(1, at[i] - at[i - 1]);
                return cpu[i - 1] + (long) (f * (cpu[i] - cpu[i - 1]));
            }
        }
        return cpu[n - 1];
    }
}
