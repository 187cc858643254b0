package io.murmur.serf.coordinate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * This node's Vivaldi coordinate and the rules that move it (Serf's {@code coordinate.Client}), as a pure
 * core: no clock, no threads, randomness handed in. Feed it one RTT sample at a time with the
 * coordinate the peer reported; it returns the new coordinate or a rejection, never throws on bad input.
 *
 * <p>One update runs three steps, in Serf's order: the Vivaldi spring step with error weighting and
 * height, the adjustment window, and gravity toward the origin. A sample first passes a per-peer
 * moving median.
 *
 * <p>Not thread-safe: one owner (an actor) feeds it.
 */
public final class VivaldiClient {

    /** Serf's ceiling on a usable RTT sample: anything above 10 s is not a network round trip. */
    public static final long MAX_RTT_NANOS = 10_000_000_000L;

    /** Below this many seconds two points are taken to coincide (Serf's zero threshold). */
    private static final double ZERO_THRESHOLD = 1.0e-6;

    /** What {@link #update} did with a sample. */
    public sealed interface Update permits Accepted, Rejected {}

    /** The sample was used; {@code coordinate} is this node's coordinate after it. */
    public record Accepted(Coordinate coordinate) implements Update {}

    /** The sample was dropped and counted; the coordinate did not change. */
    public record Rejected(Reason reason) implements Update {}

    /** Why a sample was dropped. */
    public enum Reason {
        /** The RTT was not in (0, 10 s]. */
        RTT_OUT_OF_RANGE,
        /** The peer's coordinate had a non-finite number, a negative error or height, or lay impossibly far. */
        INVALID_COORDINATE,
        /** The peer's coordinate has another dimensionality than ours. */
        DIMENSIONALITY_MISMATCH
    }

    private final VivaldiConfig config;
    private final RandomGenerator random;
    private final Map<String, LatencyFilter> filters = new HashMap<>();
    private final double[] adjustmentSamples;
    private final double[] origin;
    private final long[] rejections = new long[Reason.values().length];
    private int adjustmentIndex;
    private Coordinate coordinate;
    private long updates;
    private long resets;

    /**
     * @param config the tuning, usually {@link VivaldiConfig#defaults()}
     * @param random the node's seeded generator; used only to pick a direction when two coordinates coincide
     */
    public VivaldiClient(VivaldiConfig config, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.adjustmentSamples = new double[config.adjustmentWindowSize()];
        this.origin = new double[config.dimensionality()];
        this.coordinate = Coordinate.initial(config);
    }

    /** This node's current coordinate. */
    public Coordinate coordinate() {
        return coordinate;
    }

    public VivaldiConfig config() {
        return config;
    }

    /**
     * Replaces this node's coordinate, e.g. with one restored from a snapshot. Filters and the adjustment
     * window are kept.
     *
     * @throws IllegalArgumentException if the coordinate is invalid or of another dimensionality
     */
    public void restore(Coordinate restored) {
        if (!restored.isValid() || restored.dimensionality() != config.dimensionality()) {
            throw new IllegalArgumentException("not a usable coordinate: " + restored);
        }
        coordinate = restored;
    }

    /**
     * Takes one RTT sample to {@code node}, whose coordinate is {@code other}, and moves this node's
     * coordinate accordingly.
     *
     * @return {@link Accepted} with the new coordinate, or {@link Rejected} (counted) for an RTT outside
     *     (0, 10 s] or an unusable peer coordinate
     */
    public Update update(String node, Coordinate other, long rttNanos) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(other, "other");
        if (rttNanos <= 0 || rttNanos > MAX_RTT_NANOS) {
            return reject(Reason.RTT_OUT_OF_RANGE);
        }
        if (!other.isCompatibleWith(coordinate)) {
            return reject(Reason.DIMENSIONALITY_MISMATCH);
        }
        if (!other.isValid() || !Double.isFinite(coordinate.rawDistanceSecondsTo(other))) {
            return reject(Reason.INVALID_COORDINATE);
        }
        double rtt = filters.computeIfAbsent(node, n -> new LatencyFilter(config.latencyFilterSize()))
                .add(rttNanos / 1e9);

        Coordinate next = vivaldiStep(coordinate, other, rtt);
        next = withAdjustment(next, other, rtt);
        next = withGravity(next);
        if (!next.isValid()) {
            // Serf's safety net: a coordinate that overflowed starts over rather than poisoning its peers
            resets++;
            Arrays.fill(adjustmentSamples, 0.0);
            next = Coordinate.initial(config);
        }
        coordinate = next;
        updates++;
        return new Accepted(next);
    }

    /** Drops the latency filter of a node that left, so the map does not grow with churn. */
    public void forgetNode(String node) {
        filters.remove(node);
    }

    /** Samples accepted so far. */
    public long updates() {
        return updates;
    }

    /** Samples rejected so far for {@code reason}. */
    public long rejections(Reason reason) {
        return rejections[reason.ordinal()];
    }

    /** Times the coordinate became invalid and was reset to the initial one. */
    public long resets() {
        return resets;
    }

    /** Peers whose latency filter is held. */
    public int trackedNodes() {
        return filters.size();
    }

    private Update reject(Reason reason) {
        rejections[reason.ordinal()]++;
        return new Rejected(reason);
    }

    // Vivaldi (Dabek et al. 2004) §3, Figure 3: the adaptive timestep. Each side's share of the move is
    // its error over the sum of both errors, and the local error follows the relative error of this
    // sample with the same weight. The spring pulls on the full estimate, adjustments included, so it only
    // chases what the adjustment has not already explained (on the raw distance the two would both correct
    // the same residual: the 25-node random gate goes from 4.8 % to 6.7 % average error).
    private Coordinate vivaldiStep(Coordinate self, Coordinate other, double rttSeconds) {
        double rtt = Math.max(rttSeconds, ZERO_THRESHOLD);
        double dist = self.distanceSecondsTo(other);
        double relativeError = Math.abs(dist - rtt) / rtt;
        double weight = self.error() / Math.max(self.error() + other.error(), ZERO_THRESHOLD);
        double ce = config.vivaldiCE() * weight;
        double error = Math.min(ce * relativeError + self.error() * (1.0 - ce), config.vivaldiErrorMax());
        double force = config.vivaldiCC() * weight * (rtt - dist);
        return applyForce(self, error, force, other.vec(), other.height());
    }

    // Serf coordinate: adjustment. The last `window` residuals (rtt − raw estimate) are averaged over the
    // full window (empty slots count as zero) and halved, because a pair's estimate adds both ends' terms.
    private Coordinate withAdjustment(Coordinate self, Coordinate other, double rttSeconds) {
        if (adjustmentSamples.length == 0) {
            return self;
        }
        adjustmentSamples[adjustmentIndex] = rttSeconds - self.rawDistanceSecondsTo(other);
        adjustmentIndex = (adjustmentIndex + 1) % adjustmentSamples.length;
        double sum = 0.0;
        for (double sample : adjustmentSamples) {
            sum += sample;
        }
        double adjustment = sum / (2.0 * adjustmentSamples.length);
        return new Coordinate(self.vec(), self.error(), adjustment, self.height());
    }

    // Serf coordinate: gravity. Nothing in Vivaldi anchors the frame, so a cluster's coordinates can drift
    // off together; a pull toward the origin of -(d / rho)^2 seconds, negligible at network scale
    // (80 ms from the origin: about 0.3 µs per update), keeps them home. Our guard, not Serf's: the pull
    // never exceeds d. Quadratic in d, it would otherwise fling a coordinate dragged beyond rho² (6 hours
    // at the default) past the origin to ever larger distances, until it overflowed and was reset.
    private Coordinate withGravity(Coordinate self) {
        double d = Coordinate.euclidean(self.vec(), origin) + self.height();
        double force = -Math.min(Math.pow(d / config.gravityRho(), 2.0), d);
        return applyForce(self, self.error(), force, origin, 0.0);
    }

    // Moves `self` by `force` seconds along the line from the other point to `self` (a positive force
    // pushes apart). Vivaldi (Dabek et al. 2004) §5.4, height vectors: the height takes the share
    // (h_self + h_other) / ‖x_self − x_other‖ of the force, and never falls below the configured floor.
    // Coinciding points get a random direction and leave the height alone.
    private Coordinate applyForce(Coordinate self, double error, double force, double[] otherVec, double otherH) {
        double[] vec = self.vec();
        double[] direction = new double[vec.length];
        for (int i = 0; i < vec.length; i++) {
            direction[i] = vec[i] - otherVec[i];
        }
        double magnitude = Coordinate.euclidean(direction, origin);
        double height = self.height();
        if (magnitude > ZERO_THRESHOLD) {
            for (int i = 0; i < vec.length; i++) {
                vec[i] += direction[i] / magnitude * force;
            }
            height = Math.max(height + (height + otherH) * force / magnitude, config.heightMin());
        } else {
            double[] unit = randomUnitVector();
            for (int i = 0; i < vec.length; i++) {
                vec[i] += unit[i] * force;
            }
        }
        return new Coordinate(vec, error, self.adjustment(), height);
    }

    // Gaussian components give a direction uniform over the sphere; redraw in the (vanishing) case of a
    // near-zero draw.
    private double[] randomUnitVector() {
        double[] v = new double[origin.length];
        double magnitude;
        do {
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextGaussian();
            }
            magnitude = Coordinate.euclidean(v, origin);
        } while (magnitude <= ZERO_THRESHOLD);
        for (int i = 0; i < v.length; i++) {
            v[i] /= magnitude;
        }
        return v;
    }
}
