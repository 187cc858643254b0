package io.murmur.agent;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import picocli.CommandLine.Option;

/** The options every {@code murmur bench} command takes (a picocli mixin), and the helpers they share. */
final class BenchOptions {

    @Option(names = "--nodes", defaultValue = "20", description = "Nodes to start (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--profile", defaultValue = "local", description = "lan, wan or local (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(
            names = "--transport",
            defaultValue = "aeron",
            description = "aeron (loopback UDP) or memory (default ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the nodes' random choices.")
    long seed;

    @Option(names = "--json", description = "End with one line of JSON.")
    boolean json;

    static long max(AtomicLongArray a) {
        long m = Long.MIN_VALUE;
        for (int i = 0; i < a.length(); i++) {
            m = Math.max(m, a.get(i));
        }
        return m;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** A progress line on stderr (stdout is for the figures). */
    static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }
}
