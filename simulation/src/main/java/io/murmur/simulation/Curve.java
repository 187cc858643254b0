package io.murmur.simulation;

import java.util.Arrays;

/**
 * When each of the nodes that should learn of a change learned of it, relative to the change: the convergence
 * curve. Nodes that never learned count towards the total, so a curve can stop short of 100 %.
 */
public final class Curve {

    private final long[] times;
    private final int total;

    /** @param times nanoseconds after the change at which each node learned of it (unsorted) */
    Curve(long[] times, int total) {
        this.times = times.clone();
        Arrays.sort(this.times);
        this.total = total;
    }

    /** Nodes that learned of the change. */
    public int reached() {
        return times.length;
    }

    /** Nodes that should have. */
    public int total() {
        return total;
    }

    /**
     * Seconds until {@code fraction} of the nodes had learned of the change (the smallest count that is at least
     * that fraction, rounded up), or NaN if that many never did.
     */
    public double secondsTo(double fraction) {
        if (total == 0) {
            return 0;
        }
        int needed = (int) Math.ceil(fraction * total - 1e-9);
        if (needed <= 0) {
            return 0;
        }
        if (needed > times.length) {
            return Double.NaN;
        }
        return times[needed - 1] / 1e9;
    }

    /** Seconds until every node had learned of it, or NaN. */
    public double secondsToAll() {
        return secondsTo(1.0);
    }

    /** The curve as (seconds, fraction) points, one per node that learned, for plots. */
    public double[][] points() {
        double[][] p = new double[times.length][2];
        for (int i = 0; i < times.length; i++) {
            p[i][0] = times[i] / 1e9;
            p[i][1] = (i + 1) / (double) total;
        }
        return p;
    }
}
