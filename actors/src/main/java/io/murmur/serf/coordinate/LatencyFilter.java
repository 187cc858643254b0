package io.murmur.serf.coordinate;

import java.util.Arrays;

/**
 * Moving median over the last few RTT samples of one peer (Serf's latency filter): one slow packet
 * (a GC pause, a queued ack) does not yank the coordinate.
 */
final class LatencyFilter {
    private final double[] samples;
    private int count;
    private int next;

    LatencyFilter(int size) {
        samples = new double[size];
    }

    /** Records a sample and returns the median of the samples held, the upper one when their count is even. */
    double add(double seconds) {
        samples[next] = seconds;
        next = (next + 1) % samples.length;
        count = Math.min(count + 1, samples.length);
        // until the ring wraps, the samples held are exactly its first `count` slots
        double[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return sorted[count / 2];
    }
}
