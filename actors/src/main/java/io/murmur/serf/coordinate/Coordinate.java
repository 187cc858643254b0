package io.murmur.serf.coordinate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Vivaldi network coordinate: a point in a Euclidean space plus a non-Euclidean height, an error
 * estimate and an adjustment term. All distances are in seconds, as in Serf.
 *
 * <p>The vector is copied on the way in and on the way out, so a coordinate is immutable; {@code equals}
 * and {@code hashCode} compare the vector by content.
 *
 * @param vec the Euclidean part, one component per dimension (seconds)
 * @param error how unsure the owner is of this coordinate (dimensionless; starts at the configured max)
 * @param adjustment a per-node offset learned from the residual the Euclidean model cannot explain (seconds)
 * @param height the access-link latency that no direction can shorten (seconds)
 */
public record Coordinate(double[] vec, double error, double adjustment, double height) {

    public Coordinate {
        vec = Objects.requireNonNull(vec, "vec").clone();
    }

    /** The coordinate a node starts from: the origin, the maximum error, no adjustment, the minimum height. */
    public static Coordinate initial(VivaldiConfig config) {
        return new Coordinate(new double[config.dimensionality()], config.vivaldiErrorMax(), 0.0, config.heightMin());
    }

    /** Returns a copy of the vector. */
    @Override
    public double[] vec() {
        return vec.clone();
    }

    public int dimensionality() {
        return vec.length;
    }

    /**
     * Whether every number is finite and the error and height are not negative. Serf only checks
     * finiteness; a negative error or height is never produced by a Vivaldi update, and a remote one
     * would turn the error weighting into an amplifier, so we reject it too.
     */
    public boolean isValid() {
        for (double v : vec) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return Double.isFinite(error)
                && error >= 0.0
                && Double.isFinite(adjustment)
                && Double.isFinite(height)
                && height >= 0.0;
    }

    /** Whether both coordinates live in a space of the same dimensionality. */
    public boolean isCompatibleWith(Coordinate other) {
        return vec.length == other.vec.length;
    }

    /**
     * The estimated round-trip time to {@code other}, in seconds: the Euclidean distance of the vectors
     * plus both heights, plus both adjustments if that sum stays positive (Serf's rule: an adjustment may
     * correct an estimate but never make it zero or negative).
     *
     * @throws IllegalArgumentException if the dimensionalities differ
     */
    public double distanceSecondsTo(Coordinate other) {
        double raw = rawDistanceSecondsTo(other);
        double adjusted = raw + adjustment + other.adjustment;
        return adjusted > 0.0 ? adjusted : raw;
    }

    /**
     * {@link #distanceSecondsTo(Coordinate)} as a {@link Duration}, rounded to the nanosecond.
     *
     * @throws IllegalArgumentException if the dimensionalities differ
     * @throws ArithmeticException if either coordinate is so far out that the distance does not fit
     */
    public Duration distanceTo(Coordinate other) {
        double seconds = distanceSecondsTo(other);
        if (!Double.isFinite(seconds) || seconds * 1e9 > Long.MAX_VALUE) {
            throw new ArithmeticException("distance out of range: " + seconds + " s");
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** The Euclidean distance of the vectors plus both heights, without the adjustments (seconds). */
    double rawDistanceSecondsTo(Coordinate other) {
        return euclidean(vec, other.vec) + height + other.height;
    }

    /** The Euclidean distance between two vectors of the same length. */
    static double euclidean(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("dimensionality " + a.length + " vs " + b.length);
        }
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Coordinate c
                && Arrays.equals(vec, c.vec)
                && Double.compare(error, c.error) == 0
                && Double.compare(adjustment, c.adjustment) == 0
                && Double.compare(height, c.height) == 0;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(vec);
        h = 31 * h + Double.hashCode(error);
        h = 31 * h + Double.hashCode(adjustment);
        return 31 * h + Double.hashCode(height);
    }

    @Override
    public String toString() {
        return "Coordinate[vec=" + Arrays.toString(vec) + ", error=" + error + ", adjustment=" + adjustment
                + ", height=" + height + "]";
    }
}
