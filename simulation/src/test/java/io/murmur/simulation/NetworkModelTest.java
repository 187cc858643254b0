package io.murmur.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulated network does what its knobs say. Statistical checks use fixed seeds and wide margins. */
class NetworkModelTest {

    private static final int SAMPLES = 100_000;

    @Test
    void uniformLossDropsTheGivenShare() {
        NetworkModel net = new NetworkModel().loss(0.1);
        SplittableRandom random = new SplittableRandom(1);
        int lost = 0;
        for (int i = 0; i < SAMPLES; i++) {
            lost += net.lost(random) ? 1 : 0;
        }
        assertEquals(0.1, lost / (double) SAMPLES, 0.01);
    }

    @Test
    void burstyLossComesInRuns() {
        // Bursts begin once in 100 packets, last about 20, and lose 90 % inside: about 15 % overall, in runs.
        NetworkModel net = new NetworkModel().bursts(0.01, 0.05, 0.9);
        SplittableRandom random = new SplittableRandom(2);
        int lost = 0;
        int runs = 0;
        boolean previous = false;
        for (int i = 0; i < SAMPLES; i++) {
            boolean l = net.lost(random);
            lost += l ? 1 : 0;
            runs += l && !previous ? 1 : 0;
            previous = l;
        }
        double share = lost / (double) SAMPLES;
        assertTrue(share > 0.08 && share < 0.25, "lost " + share);
        assertTrue(lost / (double) runs > 3, "losses come in runs, not one by one: " + lost / (double) runs);
    }

    @Test
    void cutsAreOneWayAndHealRestoresThem() {
        NetworkModel net = new NetworkModel().cut(1, 2);
        assertFalse(net.connected(1, 2));
        assertTrue(net.connected(2, 1), "a cut is one way");
        net.restore(1, 2);
        assertTrue(net.connected(1, 2));
        net.cut(3, 4).heal();
        assertTrue(net.connected(3, 4));
    }

    @Test
    void aPartitionSeparatesGroupsUntilTheHeal() {
        NetworkModel net = new NetworkModel().partition(new int[] {0, 0, 1, 1});
        assertTrue(net.connected(0, 1));
        assertTrue(net.connected(2, 3));
        assertFalse(net.connected(1, 2));
        assertFalse(net.connected(3, 0));
        net.heal();
        assertTrue(net.connected(1, 2));
    }

    @Test
    void duplicationAndReorderingHappenAtTheirRates() {
        NetworkModel net = new NetworkModel()
                .latency(Latency.constant(1_000_000))
                .duplicate(0.2)
                .reorder(0.3, 50_000_000);
        SplittableRandom random = new SplittableRandom(3);
        int duplicated = 0;
        int delayed = 0;
        for (int i = 0; i < SAMPLES; i++) {
            duplicated += net.duplicated(random) ? 1 : 0;
            delayed += net.delay(0, 1, 100, 0, random) > 1_000_000 ? 1 : 0;
        }
        assertEquals(0.2, duplicated / (double) SAMPLES, 0.01);
        assertEquals(0.3, delayed / (double) SAMPLES, 0.01);
    }

    @Test
    void aBandwidthCapQueuesWhatExceedsIt() {
        // 1,000 bytes per second: ten 100-byte packets sent at once leave 0.1 s apart.
        NetworkModel net = new NetworkModel().latency(Latency.constant(0)).bandwidth(0, 1_000, 2);
        SplittableRandom random = new SplittableRandom(4);
        long last = 0;
        for (int i = 1; i <= 10; i++) {
            last = net.delay(0, 1, 100, 0, random);
            assertEquals(i * 100_000_000L, last);
        }
        assertEquals(0, net.delay(1, 0, 100, 0, random), "other nodes are not capped");
    }

    @Test
    void aConnectionIsSetUpOnFirstContactAndAfterIdling() {
        NetworkModel net = new NetworkModel().latency(Latency.constant(1_000)).connectionSetup(5_000, 1_000_000);
        SplittableRandom random = new SplittableRandom(6);
        assertEquals(6_000, net.delay(0, 1, 10, 0, random), "first contact");
        assertEquals(1_000, net.delay(0, 1, 10, 500_000, random), "connected");
        assertEquals(6_000, net.delay(1, 0, 10, 500_000, random), "each direction connects on its own");
        assertEquals(6_000, net.delay(0, 1, 10, 2_000_000, random), "idle longer than the idle timeout");
    }

    @Test
    void aSharedConnectionIsSetUpOncePerDestination() {
        NetworkModel perLink =
                new NetworkModel().latency(Latency.constant(1_000)).connectionSetup(5_000, 1_000_000);
        NetworkModel shared = new NetworkModel()
                .latency(Latency.constant(1_000))
                .connectionSetup(5_000, 1_000_000)
                .setupPerDestination(true);
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(6_000, perLink.delay(1, 9, 10, 0, random));
        assertEquals(6_000, perLink.delay(2, 9, 10, 0, random), "another sender's link is set up on its own");
        assertEquals(6_000, shared.delay(1, 9, 10, 0, random));
        assertEquals(1_000, shared.delay(2, 9, 10, 0, random), "the first sender's connection serves the second");
        assertEquals(6_000, shared.delay(2, 8, 10, 0, random), "another destination needs its own");
    }

    @Test
    void theReliablePathConnectsSeparatelyFromThePacketPath() {
        NetworkModel net = new NetworkModel()
                .latency(Latency.constant(1_000))
                .connectionSetup(5_000, 1_000_000)
                .streamSetup(20_000);
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(6_000, net.delay(1, 2, 10, 0, random));
        assertEquals(21_000, net.streamDelay(1, 2, 10, 10, random), "a warm packet path does not warm the stream");
        assertEquals(1_000, net.streamDelay(1, 2, 10, 20, random));
        assertEquals(21_000, net.streamDelay(1, 2, 10, 2_000_000, random), "idle for longer than the timeout");
        assertEquals(1_000, new NetworkModel().latency(Latency.constant(1_000)).streamDelay(1, 2, 10, 0, random));
    }

    @Test
    void aColdReliablePathHoldsWhatIsSentUntilItHasWarmedUp() {
        NetworkModel net = new NetworkModel().latency(Latency.constant(1_000)).coldStreamPath(50_000);
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(1_000, net.delay(1, 2, 10, 0, random), "the packet path is not held");
        assertEquals(51_000, net.streamDelay(1, 2, 10, 100_000, random), "the first use starts the warm-up");
        assertEquals(31_000, net.streamDelay(3, 4, 10, 120_000, random), "held until the same moment");
        assertEquals(1_000, net.streamDelay(1, 2, 10, 150_000, random), "warm");
    }

    @Test
    void latencyDistributionsStayInTheirRanges() {
        SplittableRandom random = new SplittableRandom(5);
        Latency uniform = Latency.uniform(1_000, 2_000);
        Latency tail = Latency.exponentialTail(1_000, 500);
        Latency regions = Latency.regions(new int[] {0, 1}, new long[][] {{10, 100}, {100, 10}}, 0);
        double tailSum = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long u = uniform.sample(0, 1, random);
            assertTrue(u >= 1_000 && u <= 2_000);
            long t = tail.sample(0, 1, random);
            assertTrue(t >= 1_000);
            tailSum += t - 1_000;
        }
        assertEquals(500, tailSum / SAMPLES, 25);
        assertEquals(100, regions.sample(0, 1, random));
        assertEquals(10, regions.sample(1, 1, random));
    }

    @Test
    void probabilitiesOutsideZeroToOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NetworkModel().loss(1.5));
        assertThrows(IllegalArgumentException.class, () -> new NetworkModel().duplicate(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Latency.uniform(10, 5));
    }
}
