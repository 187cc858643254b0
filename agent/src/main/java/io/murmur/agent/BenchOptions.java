package io.murmur.agent;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
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

    /** {@code value} rounded to {@code places} decimals, printed as such in text and JSON. */
    static BigDecimal decimals(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP);
    }

    /**
     * Prints {@code figures} on {@code stdout} (the command line's out): a line each, or with {@code json} one JSON
     * object (strings quoted, numbers and booleans as they are).
     */
    static void printFigures(Map<String, Object> figures, boolean json, java.io.PrintWriter stdout) {
        StringJoiner out = json ? new StringJoiner(",", "{", "}") : new StringJoiner(System.lineSeparator());
        figures.forEach((k, v) -> {
            String text = v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
            if (json) {
                out.add("\"" + k + "\":" + (v instanceof String ? "\"" + text + "\"" : text));
            } else {
                out.add(String.format("%-22s %s", k, text));
            }
        });
        stdout.println(out);
        stdout.flush();
    }

    /** Where the time went: the median and 90th percentile of {@code stamps} after {@code start}, and the slowest. */
    static String spread(AtomicLongArray stamps, long start) {
        long[] a = new long[stamps.length()];
        for (int i = 0; i < a.length; i++) {
            a[i] = stamps.get(i);
        }
        return spread(a, start);
    }

    /** As above, of stamps in an array; zero stamps (nothing seen) are left out. */
    static String spread(long[] stamps, long start) {
        long[] sorted = java.util.Arrays.stream(stamps)
                .filter(t -> t != 0)
                .map(t -> t - start)
                .sorted()
                .toArray();
        int slowest = 0;
        for (int i = 0; i < stamps.length; i++) {
            slowest = stamps[i] > stamps[slowest] ? i : slowest;
        }
        if (sorted.length == 0) {
            return "nothing seen";
        }
        return String.format(
                Locale.ROOT,
                "median %.3f s, p90 %.3f s, slowest n%d",
                seconds(sorted[sorted.length / 2]),
                seconds(sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)]),
                slowest);
    }

    /** A progress line on stderr (stdout is for the figures). */
    static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }
}
