package io.murmur.simulation;

import java.util.random.RandomGenerator;

/** One-way delay of a packet from node {@code from} to node {@code to} (indexes), in nanoseconds. */
@FunctionalInterface
public interface Latency {

    long sample(int from, int to, RandomGenerator random);

    /** Always {@code nanos}. */
    static Latency constant(long nanos) {
        return (from, to, random) -> nanos;
    }

    /** Uniform in {@code [min, max]}. */
    static Latency uniform(long minNanos, long maxNanos) {
        if (maxNanos < minNanos) {
            throw new IllegalArgumentException("max < min");
        }
        long span = maxNanos - minNanos;
        return (from, to, random) -> span == 0 ? minNanos : minNanos + random.nextLong(span + 1);
    }

    /**
     * A base delay plus an exponential tail of mean {@code tailMeanNanos}: most packets arrive quickly, a few late,
     * as on a busy network.
     */
    static Latency exponentialTail(long baseNanos, long tailMeanNanos) {
        return (from, to, random) -> baseNanos + (long) (-Math.log(1 - random.nextDouble()) * tailMeanNanos);
    }

    /**
     * Nodes in regions ({@code regionOf[i]}), with a one-way delay per pair of regions ({@code delayNanos[a][b]}) and
     * a uniform jitter of up to {@code jitterNanos}.
     */
    static Latency regions(int[] regionOf, long[][] delayNanos, long jitterNanos) {
        return (from, to, random) ->
                delayNanos[regionOf[from]][regionOf[to]] + (jitterNanos == 0 ? 0 : random.nextLong(jitterNanos + 1));
    }
}
