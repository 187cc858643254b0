package io.murmur.simulation;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A convergence curve as the vertices of a step line in pixels. Every point of the curve that falls in the same pixel
 * column collapses into one vertical step, so a curve of any number of nodes costs at most two vertices per column
 * (plus the two ends): a 10,000-node curve is drawn from a few hundred vertices, not 20,000.
 *
 * @param xs x of each vertex, pixels
 * @param ys y of each vertex, pixels
 * @param size how many of the entries are vertices
 */
record StepLine(double[] xs, double[] ys, int size) {

    /**
     * @param points (seconds, fraction) pairs sorted by time, fractions rising, as {@link Curve#points()} gives them
     * @param x seconds to pixels
     * @param y fraction to pixels
     * @param endSeconds where the line stops on the right: the last fraction holds until then
     */
    static StepLine trace(double[][] points, DoubleUnaryOperator x, DoubleUnaryOperator y, double endSeconds) {
        int capacity = 2 * Math.min(points.length, columns(x, endSeconds)) + 4;
        double[] xs = new double[capacity];
        double[] ys = new double[capacity];
        int n = 0;
        double level = y.applyAsDouble(0);
        xs[n] = x.applyAsDouble(0);
        ys[n++] = level;
        int i = 0;
        while (i < points.length) {
            double px = x.applyAsDouble(points[i][0]);
            double column = Math.floor(px);
            double fraction = points[i][1];
            i++;
            while (i < points.length && Math.floor(x.applyAsDouble(points[i][0])) == column) {
                fraction = points[i][1];
                i++;
            }
            if (n + 2 > xs.length) { // only if the caller's mapping is not monotonic; stay correct anyway
                xs = Arrays.copyOf(xs, xs.length * 2);
                ys = Arrays.copyOf(ys, ys.length * 2);
            }
            xs[n] = px;
            ys[n++] = level;
            level = y.applyAsDouble(fraction);
            xs[n] = px;
            ys[n++] = level;
        }
        if (n == xs.length) {
            xs = Arrays.copyOf(xs, n + 1);
            ys = Arrays.copyOf(ys, n + 1);
        }
        xs[n] = Math.max(x.applyAsDouble(endSeconds), xs[n - 1]);
        ys[n++] = level;
        return new StepLine(xs, ys, n);
    }

    /** Pixel columns between 0 seconds and the end, counting both partial ends. */
    private static int columns(DoubleUnaryOperator x, double endSeconds) {
        double span = Math.abs(x.applyAsDouble(endSeconds) - x.applyAsDouble(0));
        return (int) Math.min(Integer.MAX_VALUE / 4, Math.ceil(span) + 2);
    }
}
