package io.murmur.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Agent processes on loopback for {@code murmur bench agents}: each runs this JVM's own classpath with the small-agent
 * JVM options ({@link #JVM_OPTIONS}, which the launcher also uses for {@code murmur agent}), its own gossip and RPC
 * ports, and its output in a log file.
 */
final class AgentProcesses implements AutoCloseable {

    /** The resource listing the JVM options of a small agent, one per line ({@code #} starts a comment). */
    static final String JVM_OPTIONS = "/io/murmur/agent/agent-jvm.options";

    /** One agent: its process, its name and ports. */
    record Agent(String name, int gossipPort, int rpcPort, int httpPort, Process process, Path log) {
        String gossipAddress() {
            return "127.0.0.1:" + gossipPort;
        }

        String rpcAddress() {
            return "127.0.0.1:" + rpcPort;
        }

        /** What the agent's {@code /metrics} says now; a line saying why when it cannot be read. */
        String metrics() {
            try {
                java.net.HttpURLConnection c = (java.net.HttpURLConnection)
                        new java.net.URL("http://127.0.0.1:" + httpPort + "/metrics").openConnection();
                c.setConnectTimeout(5_000);
                c.setReadTimeout(10_000);
                try (InputStream in = c.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                return "# could not read /metrics: " + e + "\n";
            }
        }

        /** CPU time the process has used, user and system, in seconds; 0 when /proc cannot tell. */
        double cpuSeconds() {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
                // Fields after the command (which may hold spaces) start at the last ')': utime and stime are 14, 15.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** Its Lifeguard health score ({@code memberlist_health_score} of {@code /metrics}); -1 when unreadable. */
        double healthScore() {
            return AgentProcesses.healthScore(metrics());
        }

        /** Resident memory in bytes ({@code VmRSS}); empty when the process is gone or /proc is not there. */
        OptionalLong rssBytes() {
            return procField(process.pid(), "status", "VmRSS:");
        }

        /**
         * Proportional resident memory in bytes ({@code Pss}: each page shared with other processes, such as the JVM's
         * code and the class-data archive's read-only part, counted as its share); empty when /proc cannot tell.
         */
        OptionalLong pssBytes() {
            return procField(process.pid(), "smaps_rollup", "Pss:");
        }
    }

    /** Linux's USER_HZ, the unit of /proc/PID/stat's CPU times. */
    private static final int CLOCK_TICKS = 100;

    private final Path directory;
    private final List<String> command;
    private final List<Agent> agents = new ArrayList<>();
    private final LoopbackPorts ports;

    /**
     * @param directory where the agents' logs go
     * @param agentArgs flags every agent gets after its own {@code -node}, {@code -bind} and {@code -rpc-addr}
     * @param extraJvmOptions options after the small-agent ones (so they win)
     * @param firstPort where the agents' gossip and RPC ports start
     * @param classArchive whether the agents map the class-data archive (not while one is being written)
     */
    AgentProcesses(
            Path directory, List<String> agentArgs, List<String> extraJvmOptions, int firstPort, boolean classArchive) {
        this.directory = directory;
        this.ports = new LoopbackPorts(firstPort);
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse("java"));
        c.addAll(List.of(
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"));
        c.addAll(smallAgentOptions());
        if (classArchive) {
            c.addAll(classArchiveOptions());
        }
        c.addAll(extraJvmOptions);
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "agent"));
        c.addAll(agentArgs);
        this.command = List.copyOf(c);
    }

    /**
     * Options that map the agent's class-data archive, when there is one: {@code murmur-agent.jsa} beside the jar this
     * JVM runs from, newer than the jar (the launcher writes it once per build). The agents then load their classes
     * parsed and verified already: a third less CPU to start, which counts when dozens start on two cores.
     */
    static List<String> classArchiveOptions() {
        String classPath = System.getProperty("java.class.path");
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return List.of();
        }
        Path jar = Path.of(classPath);
        Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
        try {
            if (Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0) {
                return List.of();
            }
        } catch (IOException e) {
            return List.of();
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** The JVM options of a small agent, from {@link #JVM_OPTIONS}. */
    static List<String> smallAgentOptions() {
        try (InputStream in = AgentProcesses.class.getResourceAsStream(JVM_OPTIONS)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + JVM_OPTIONS);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU time all agents have used, in seconds. */
    double cpuSeconds() {
        return agents.stream().mapToDouble(Agent::cpuSeconds).sum();
    }

    /** Each agent's {@link Agent#healthScore()}, all read at once so that the moment they describe stays short. */
    static double[] healthScores(List<Agent> agents) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Double>> scores = new ArrayList<>();
            for (Agent a : agents) {
                scores.add(pool.submit(a::healthScore));
            }
            double[] out = new double[scores.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = scores.get(i).get();
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The health score in a Prometheus text page; -1 when the page has none. */
    static double healthScore(String metrics) {
        String name = "memberlist_health_score ";
        return metrics.lines()
                .filter(l -> l.startsWith(name))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length()).strip()))
                .findFirst()
                .orElse(-1);
    }

    /** Starts agent number {@code agents().size()} on free loopback ports. */
    Agent start() throws IOException {
        return start(List.of());
    }

    /** As {@link #start()}, with JVM options of its own. */
    Agent start(List<String> jvmOptions) throws IOException {
        int index = agents.size();
        String name = "agent-" + index;
        int gossip = ports.next();
        int rpc = ports.next();
        int http = ports.next();
        List<String> c = new ArrayList<>(command);
        c.addAll(c.indexOf("-cp"), jvmOptions);
        int at = c.indexOf("agent") + 1;
        c.addAll(
                at,
                List.of(
                        "-node=" + name,
                        "-bind=127.0.0.1:" + gossip,
                        "-rpc-addr=127.0.0.1:" + rpc,
                        "-http-addr=127.0.0.1:" + http));
        Path log = directory.resolve(name + ".log");
        Process p = new ProcessBuilder(c)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Agent agent = new Agent(name, gossip, rpc, http, p, log);
        agents.add(agent);
        return agent;
    }

    List<Agent> agents() {
        return agents;
    }

    /**
     * Kills {@code agent} with SIGKILL and waits for it. The Aeron directory it leaves in /dev/shm is removed by the
     * next Murmur media to start on this machine once it is ten seconds old.
     */
    void kill(Agent agent) throws InterruptedException {
        agent.process().destroyForcibly();
        agent.process().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM to every agent still running (each stops without a leave), then SIGKILL to any that lingers. */
    @Override
    public void close() throws InterruptedException {
        for (Agent a : agents) {
            a.process().destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Agent a : agents) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!a.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                a.process().destroyForcibly();
                a.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A {@code Key:   value kB} line of a /proc/PID file ({@code status}, {@code smaps_rollup}), in bytes. */
    static OptionalLong procField(long pid, String file, String key) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), file))) {
            return lines.filter(l -> l.startsWith(key))
                    .mapToLong(l -> Long.parseLong(
                                    l.substring(key.length()).replace("kB", "").strip())
                            * 1024)
                    .findFirst();
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
