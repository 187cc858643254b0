package io.murmur.serf.coordinate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.serf.coordinate.VivaldiClient.Accepted;
import io.murmur.serf.coordinate.VivaldiClient.Reason;
import io.murmur.serf.coordinate.VivaldiClient.Rejected;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VivaldiClientTest {

    private static final long MS = 1_000_000L;
    private static final double H = 10e-6;

    /** Two dimensions, no adjustment window, gravity too weak to measure: the bare Vivaldi step. */
    private static final VivaldiConfig BARE = new VivaldiConfig(2, 1.5, 0.25, 0.25, 0, H, 3, 1e9);

    private static VivaldiClient client(VivaldiConfig config, long seed) {
        return new VivaldiClient(config, new SplittableRandom(seed));
    }

    private static Coordinate peer(double x, double error) {
        return new Coordinate(new double[] {x, 0}, error, 0, H);
    }

    private static Coordinate accepted(VivaldiClient.Update update) {
        return assertInstanceOf(Accepted.class, update).coordinate();
    }

    @Test
    void defaultsAreSerfs() {
        VivaldiConfig c = VivaldiConfig.defaults();
        assertEquals(new VivaldiConfig(8, 1.5, 0.25, 0.25, 20, 10e-6, 3, 150.0), c);
        assertThrows(IllegalArgumentException.class, () -> new VivaldiConfig(0, 1.5, 0.25, 0.25, 20, H, 3, 150));
        assertThrows(IllegalArgumentException.class, () -> new VivaldiConfig(8, 1.5, 0.25, 0.25, 20, H, 0, 150));
        assertThrows(IllegalArgumentException.class, () -> new VivaldiConfig(8, 1.5, 0.25, 0.25, 20, H, 3, 0));
    }

    @Test
    void oneUpdateFollowsTheErrorWeightedSpringStep() {
        VivaldiClient c = client(BARE, 1);
        // we: origin, error 1.5, height 10 µs; the peer: (50 ms, 0), error 0.5, height 10 µs; observed 30 ms.
        // estimate = 50 ms + 20 µs = 0.05002 s; weight = 1.5 / (1.5 + 0.5) = 0.75
        // error  = 0.25·0.75·(0.02002 / 0.03) + 1.5·(1 − 0.25·0.75) = 0.125125 + 1.21875 = 1.343875
        // force  = 0.25·0.75·(0.03 − 0.05002) = −0.00375375, along the unit vector from the peer to us, (−1, 0)
        // height = max(10 µs + 20 µs · force / 0.05, 10 µs) = 10 µs (it would shrink; the floor holds)
        Coordinate next = accepted(c.update("b", peer(0.05, 0.5), 30 * MS));
        assertArrayEquals(new double[] {0.00375375, 0}, next.vec(), 1e-12);
        assertEquals(1.343875, next.error(), 1e-12);
        assertEquals(H, next.height(), 1e-15);
        assertEquals(next, c.coordinate());
        assertEquals(1, c.updates());
    }

    @Test
    void anUpdateMovesTheEstimateTowardTheObservedRtt() {
        Coordinate far = peer(0.05, 1.5);
        for (long observedMs : new long[] {20, 100}) {
            VivaldiClient c = client(BARE, 7);
            double before = c.coordinate().distanceSecondsTo(far);
            for (int i = 0; i < 3; i++) {
                double last = c.coordinate().distanceSecondsTo(far);
                double now = accepted(c.update("b", far, observedMs * MS)).distanceSecondsTo(far);
                double target = observedMs / 1000.0;
                assertTrue(
                        Math.abs(now - target) < Math.abs(last - target),
                        "closer to " + observedMs + " ms: " + last + " -> " + now);
            }
            assertNotEquals(before, c.coordinate().distanceSecondsTo(far));
        }
    }

    @Test
    void heightGrowsWhenTheSampleExceedsTheEstimateAndNeverFallsBelowTheFloor() {
        VivaldiClient c = client(BARE, 1);
        Coordinate next = accepted(c.update("b", peer(0.05, 1.5), 200 * MS));
        assertTrue(next.height() > H, "pushed apart, the height takes its share: " + next.height());
        for (int i = 0; i < 50; i++) {
            next = accepted(c.update("b", peer(0.05, 1.5), 1 * MS));
        }
        assertTrue(next.height() >= H, "floor: " + next.height());
    }

    @Test
    void coincidingCoordinatesArePushedApartInASeededRandomDirection() {
        VivaldiConfig noGravity = new VivaldiConfig(8, 1.5, 0.25, 0.25, 20, H, 3, 1e9);
        Coordinate sameSpot = Coordinate.initial(noGravity);
        Coordinate a = accepted(client(noGravity, 42).update("b", sameSpot, 50 * MS));
        Coordinate again = accepted(client(noGravity, 42).update("b", sameSpot, 50 * MS));
        Coordinate other = accepted(client(noGravity, 43).update("b", sameSpot, 50 * MS));
        assertEquals(a, again, "same seed, same direction");
        assertNotEquals(a, other, "another seed, another direction");
        // weight 1.5 / 3 = 0.5, force = 0.25·0.5·(0.05 − 20 µs): the length of the move, in any direction
        double moved = Coordinate.euclidean(a.vec(), new double[8]);
        assertEquals(0.125 * (0.05 - 2 * H), moved, 1e-9);
        assertEquals(H, a.height(), "a random direction leaves the height alone");
    }

    @Test
    void theAdjustmentIsHalfTheMeanResidualOverTheWholeWindow() {
        // window 4; the peer claims a huge error, so our weight is ~1e-9 and the coordinate stays put:
        // the raw estimate stays 50 ms + 20 µs and the residuals are exactly rtt − 0.05002
        VivaldiClient c = client(new VivaldiConfig(2, 1.5, 0.25, 0.25, 4, H, 1, 1e9), 1);
        Coordinate confident = peer(0.05, 1e9);
        double raw = 0.05002;
        Coordinate next = accepted(c.update("b", confident, 60 * MS));
        assertEquals((0.060 - raw) / 8, next.adjustment(), 1e-9, "one sample, three empty slots, halved");
        long[] rtts = {70, 80, 90, 100, 110};
        for (long rtt : rtts) {
            next = accepted(c.update("b", confident, rtt * MS));
        }
        double lastFour = (0.080 - raw) + (0.090 - raw) + (0.100 - raw) + (0.110 - raw);
        assertEquals(lastFour / 8, next.adjustment(), 1e-9, "only the last four samples count");
    }

    @Test
    void gravityPullsTowardTheOrigin() {
        Coordinate away = peer(-0.05, 1.5);
        VivaldiClient weak = client(BARE, 1);
        VivaldiClient strong = client(new VivaldiConfig(2, 1.5, 0.25, 0.25, 0, H, 3, 1.0), 1);
        for (int i = 0; i < 20; i++) {
            weak.update("b", away, 500 * MS);
            strong.update("b", away, 500 * MS);
        }
        double weakFromOrigin = weak.coordinate().vec()[0];
        double strongFromOrigin = strong.coordinate().vec()[0];
        assertTrue(weakFromOrigin > 0 && strongFromOrigin > 0, "both pushed away from the peer");
        assertTrue(
                strongFromOrigin < weakFromOrigin,
                "rho 1 s holds it nearer the origin: " + strongFromOrigin + " vs " + weakFromOrigin);
    }

    @Test
    void rttsOutsideZeroToTenSecondsAreRejectedAndCounted() {
        VivaldiClient c = client(VivaldiConfig.defaults(), 1);
        Coordinate before = c.coordinate();
        Coordinate peer = Coordinate.initial(VivaldiConfig.defaults());
        for (long rtt : new long[] {0, -1, Long.MIN_VALUE, VivaldiClient.MAX_RTT_NANOS + 1, Long.MAX_VALUE}) {
            assertEquals(new Rejected(Reason.RTT_OUT_OF_RANGE), c.update("b", peer, rtt));
        }
        assertEquals(5, c.rejections(Reason.RTT_OUT_OF_RANGE));
        assertSame(before, c.coordinate());
        assertEquals(0, c.updates());
        assertEquals(0, c.trackedNodes(), "a rejected sample leaves no filter behind");
        accepted(c.update("b", peer, 1));
        accepted(c.update("b", peer, VivaldiClient.MAX_RTT_NANOS));
        assertEquals(2, c.updates());
    }

    @Test
    void unusablePeerCoordinatesAreRejectedAndCounted() {
        VivaldiClient c = client(VivaldiConfig.defaults(), 1);
        Coordinate before = c.coordinate();
        double[] nan = new double[8];
        nan[3] = Double.NaN;
        double[] huge = new double[8];
        huge[0] = 1e300;
        huge[1] = 1e300;
        assertEquals(new Rejected(Reason.INVALID_COORDINATE), c.update("b", new Coordinate(nan, 1, 0, H), MS));
        assertEquals(
                new Rejected(Reason.INVALID_COORDINATE),
                c.update("b", new Coordinate(new double[8], -1.4, 0, H), MS),
                "a negative error");
        assertEquals(
                new Rejected(Reason.INVALID_COORDINATE),
                c.update("b", new Coordinate(new double[8], 1, 0, Double.POSITIVE_INFINITY), MS));
        assertEquals(
                new Rejected(Reason.INVALID_COORDINATE),
                c.update("b", new Coordinate(huge, 1, 0, H), MS),
                "finite, but the distance to it overflows");
        assertEquals(
                new Rejected(Reason.DIMENSIONALITY_MISMATCH),
                c.update("b", new Coordinate(new double[3], 1, 0, H), MS));
        assertEquals(4, c.rejections(Reason.INVALID_COORDINATE));
        assertEquals(1, c.rejections(Reason.DIMENSIONALITY_MISMATCH));
        assertEquals(0, c.rejections(Reason.RTT_OUT_OF_RANGE));
        assertSame(before, c.coordinate());
        assertEquals(0, c.updates());
    }

    @Test
    void theMedianFilterAbsorbsAnOutlierUntilTheNodeIsForgotten() {
        Coordinate peer = peer(0.01, 1.5);
        VivaldiClient steady = client(BARE, 1);
        VivaldiClient spiked = client(BARE, 1);
        VivaldiClient forgetting = client(BARE, 1);
        for (VivaldiClient c : new VivaldiClient[] {steady, spiked, forgetting}) {
            c.update("b", peer, 10 * MS);
            c.update("b", peer, 10 * MS);
        }
        forgetting.forgetNode("b");
        assertEquals(0, forgetting.trackedNodes());
        Coordinate steadyNext = accepted(steady.update("b", peer, 10 * MS));
        Coordinate spikedNext = accepted(spiked.update("b", peer, 900 * MS));
        Coordinate forgotNext = accepted(forgetting.update("b", peer, 900 * MS));
        assertEquals(steadyNext, spikedNext, "median of {10, 10, 900} ms is 10 ms");
        assertTrue(
                forgotNext.distanceSecondsTo(peer) > 5 * steadyNext.distanceSecondsTo(peer),
                "a fresh filter takes the 900 ms at face value");
        assertEquals(1, forgetting.trackedNodes());
    }

    @Test
    void restoreReplacesTheCoordinateButRefusesAnUnusableOne() {
        VivaldiClient c = client(BARE, 1);
        Coordinate saved = new Coordinate(new double[] {0.01, -0.02}, 0.3, 0.001, 0.002);
        c.restore(saved);
        assertEquals(saved, c.coordinate());
        assertThrows(
                IllegalArgumentException.class,
                () -> c.restore(new Coordinate(new double[] {Double.NaN, 0}, 0.3, 0, H)));
        assertThrows(IllegalArgumentException.class, () -> c.restore(new Coordinate(new double[3], 0.3, 0, H)));
        assertEquals(saved, c.coordinate());
    }

    @Test
    void peersAbsurdlyFarAwayNeverMakeTheCoordinateOverflow() {
        VivaldiClient c = client(VivaldiConfig.defaults(), 3);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            double[] vec = new double[8];
            for (int d = 0; d < 8; d++) {
                vec[d] = (random.nextDouble() - 0.5) * 1e6;
            }
            Coordinate wild = new Coordinate(vec, random.nextDouble() * 1e-9, random.nextDouble() * 1e3, 1e3);
            long rtt = 1 + random.nextLong(VivaldiClient.MAX_RTT_NANOS);
            accepted(c.update("n" + (i % 5), wild, rtt));
            assertTrue(c.coordinate().isValid());
        }
        assertEquals(2000, c.updates());
        assertEquals(0, c.resets(), "gravity is capped, so nothing overflows");
    }
}
