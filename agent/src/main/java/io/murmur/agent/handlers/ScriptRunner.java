package io.murmur.agent.handlers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one handler script through {@code /bin/sh -c}, feeding its standard input and keeping the last
 * {@link #OUTPUT_LIMIT} bytes of what it prints (stdout and stderr together), as Serf's circular buffer does. Warns
 * when a script runs longer than {@link #SLOW}; kills it (and its children) after the configured timeout.
 */
public final class ScriptRunner implements AutoCloseable {

    /** Serf keeps this much of a script's output. */
    public static final int OUTPUT_LIMIT = 8 * 1024;

    /** Serf's agent warns about scripts that take longer than this. */
    static final Duration SLOW = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);

    /** What a run came to: the exit status (-1 when killed or not started) and the output kept. */
    public record Result(int exitStatus, byte[] output, boolean killed) {
        public boolean succeeded() {
            return exitStatus == 0 && !killed;
        }
    }

    private final Duration timeout;
    private final ExecutorService io = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "event-handler-io");
        t.setDaemon(true);
        return t;
    });

    /** @param timeout kill a script after this long; zero for never (Serf's behaviour) */
    public ScriptRunner(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the handler timeout is never negative: " + timeout);
        }
        this.timeout = timeout;
    }

    /** Runs {@code script} to its end (or its timeout) with {@code env} added to the agent's environment. */
    public Result run(String script, Map<String, String> env, byte[] stdin) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            LOG.error("event handler '{}' could not start: {}", script, e.getMessage());
            return new Result(-1, new byte[0], false);
        }
        io.execute(() -> feed(process.getOutputStream(), stdin));
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), io);
        boolean killed;
        try {
            killed = awaitOrKill(process, script);
        } catch (InterruptedException e) {
            kill(process); // the agent is shutting down
            throw e;
        }
        byte[] kept;
        try {
            // A child left running in the background may hold the output open: do not wait on it for long.
            kept = output.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            kept = new byte[0];
        }
        int status = killed ? -1 : process.exitValue();
        if (status != 0) {
            LOG.warn("event handler '{}' exited with {}", script, killed ? "a kill" : "status " + status);
        }
        return new Result(status, kept, killed);
    }

    /** Waits for the script, warning when it is slow; true when it had to be killed. */
    private boolean awaitOrKill(Process process, String script) throws InterruptedException {
        long started = System.nanoTime();
        if (process.waitFor(SLOW.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        LOG.warn("event handler '{}' is still running after {} ms", script, SLOW.toMillis());
        if (timeout.isZero()) {
            process.waitFor();
            return false;
        }
        if (process.waitFor(timeout.toNanos() - (System.nanoTime() - started), TimeUnit.NANOSECONDS)) {
            return false;
        }
        LOG.warn("event handler '{}' killed after {} ms", script, timeout.toMillis());
        kill(process);
        process.waitFor();
        return true;
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void feed(OutputStream in, byte[] stdin) {
        try (in) {
            in.write(stdin);
        } catch (IOException e) {
            // The script exited or closed its input without reading it all: Serf does not care either.
        }
    }

    /** Reads to the end, keeping the last {@link #OUTPUT_LIMIT} bytes. */
    static byte[] drain(InputStream out) {
        byte[] ring = new byte[OUTPUT_LIMIT];
        long total = 0;
        byte[] chunk = new byte[4096];
        try (out) {
            int n;
            while ((n = out.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    ring[(int) (total++ % OUTPUT_LIMIT)] = chunk[i];
                }
            }
        } catch (IOException e) {
            // The process is gone: keep what was read.
        }
        if (total <= OUTPUT_LIMIT) {
            return java.util.Arrays.copyOf(ring, (int) total);
        }
        byte[] last = new byte[OUTPUT_LIMIT];
        int start = (int) (total % OUTPUT_LIMIT);
        System.arraycopy(ring, start, last, 0, OUTPUT_LIMIT - start);
        System.arraycopy(ring, 0, last, OUTPUT_LIMIT - start, start);
        return last;
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
