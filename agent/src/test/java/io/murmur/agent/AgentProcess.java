package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code murmur agent} as a separate JVM, for what only a process has: signals. Its stdout and stderr are read line by
 * line into a queue, so a test waits for the line it expects instead of for a guessed time.
 */
final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private AgentProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "agent-process-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code murmur agent ARGS} on this JVM's class path, with the JVM flags the tests run with. */
    static AgentProcess start(String... agentArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens=")) { // Aeron's opens, as the launcher passes them
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "agent"));
        command.addAll(List.of(agentArgs));
        return new AgentProcess(
                new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output closed: " + e + ")");
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits (at most {@code max}) for a line {@code expected} accepts, and returns it. */
    String awaitLine(Predicate<String> expected, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail("the agent never printed the expected line; it printed:\n" + String.join("\n", seen)
                        + (process.isAlive() ? "" : "\n(exited with " + process.exitValue() + ")"));
            }
            seen.add(line);
            if (expected.test(line)) {
                return line;
            }
        }
    }

    /** Sends {@code signal} ({@code HUP}, ...) with kill(1). */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            fail("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM (the agent closes its Aeron driver and exits), then a kill if it has not exited within 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
