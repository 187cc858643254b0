package io.murmur.transport.memory;

import static io.murmur.transport.memory.Inbox.numbered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The in-memory network's packet and reliable-path faults: cuts, uniform and bursty loss, duplication, reordering,
 * latency distributions, bandwidth caps and slow receivers. Undelayed deliveries happen inside {@code send}, so most
 * checks need no waiting; delayed ones are awaited on the receiver with a timeout.
 */
class MemoryNetworkFaultsTest {

    static final Address A = new Address("10.0.0.1", 7946);
    static final Address B = new Address("10.0.0.2", 7946);

    private static long seed(String test) {
        long seed = new Random().nextLong();
        System.out.println(test + " seed=" + seed);
        return seed;
    }

    @Test
    void withoutFaultsPacketsArriveAtOnceInOrderAndRequestsAreAnswered() throws Exception {
        try (MemoryNetwork net = new MemoryNetwork(1)) {
            Inbox atB = new Inbox();
            MemoryTransport a = net.bind(A);
            MemoryTransport b = net.bind(B);
            a.start(new Inbox());
            b.start(atB);
            for (int i = 0; i < 100; i++) {
                a.send(B, numbered(i));
            }
            // Undelayed: delivered inside send, on this thread.
            assertEquals(IntStream.range(0, 100).boxed().toList(), atB.numbers());
            byte[] answer = a.request(B, new byte[] {7, 8}, Inbox.WAIT)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {7, 8}, answer);
            assertEquals(100, net.stats().packetsDelivered.sum());
        }
    }

    @Test
    void aCutDropsOneDirectionAndFailsRequestsUntilRestored() throws Exception {
        try (MemoryNetwork net = new MemoryNetwork(2)) {
            Inbox atA = new Inbox();
            Inbox atB = new Inbox();
            MemoryTransport a = net.bind(A);
            MemoryTransport b = net.bind(B);
            a.start(atA);
            b.start(atB);
            net.cut(A, B);
            a.send(B, numbered(1));
            b.send(A, numbered(2));
            assertEquals(List.of(), atB.numbers());
            assertEquals(List.of(2), atA.numbers());
            assertEquals(1, net.stats().packetsCut.sum());
            ExecutionException failed = assertThrows(
                    ExecutionException.class,
                    () -> b.request(A, new byte[] {1}, Duration.ofMillis(50))
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, failed.getCause(), "a cut one way breaks the exchange");
            net.restore(A, B);
            a.send(B, numbered(3));
            assertEquals(List.of(3), atB.numbers());
        }
    }

    @Test
    void uniformLossDropsAboutTheGivenShareAndNeverTheReliablePath() throws Exception {
        try (MemoryNetwork net = new MemoryNetwork(seed("uniformLoss"))) {
            Inbox atB = new Inbox();
            MemoryTransport a = net.bind(A);
            net.bind(B).start(atB);
            a.start(new Inbox());
            net.loss(0.3);
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                a.send(B, numbered(i));
            }
            long lost = net.stats().packetsLost.sum();
            assertEquals(n - lost, atB.arrivals.size());
            // Binomial(20000, 0.3): standard deviation about 65.
            assertTrue(Math.abs(lost - 0.3 * n) < 600, "lost " + lost + " of " + n);
            for (int i = 0; i < 50; i++) {
                a.request(B, numbered(i), Inbox.WAIT).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theSameSeedLosesTheSamePackets() {
        long seed = seed("theSameSeedLosesTheSamePackets");
        assertEquals(survivors(seed), survivors(seed));
        assertNotEquals(survivors(seed), survivors(seed + 1));
    }

    /** Which of 2,000 packets survive uniform loss, bursts, duplication and reordering (reorder without delay). */
    private static List<Integer> survivors(long seed) {
        try (MemoryNetwork net = new MemoryNetwork(seed)) {
            Inbox atB = new Inbox();
            MemoryTransport a = net.bind(A);
            net.bind(B).start(atB);
            a.start(new Inbox());
            net.loss(0.2);
            net.bursts(0.05, 0.3, 0.9);
            net.duplicate(0.1);
            net.reorder(0.2, Duration.ZERO);
            for (int i = 0; i < 2_000; i++) {
                a.send(B, numbered(i));
            }
            return atB.numbers();
        }
    }

    @Test
    void burstsLoseRunsOfConsecutivePackets() {
        try (MemoryNetwork net = new MemoryNetwork(seed("bursts"))) {
            Inbox atB = new Inbox();
            MemoryTransport a = net.bind(A);
            net.bind(B).start(atB);
            a.start(new Inbox());
            // Into a burst once per 100 packets, out of it after 10 on average, everything lost inside.
            net.bursts(0.01, 0.1, 1.0);
            int n = 50_000;
            for (int i = 0; i < n; i++) {
                a.send(B, numbered(i));
            }
            BitSet arrived = new BitSet(n);
            atB.numbers().forEach(arrived::set);
            int lost = n - arrived.cardinality();
            int runs = 0;
            for (int i = 0; i < n; i++) {
                if (!arrived.get(i) && (i == 0 || arrived.get(i - 1))) {
                    runs++;
                }
            }
            double share = (double) lost / n;
            double meanRun = (double) lost / runs;
            // Stationary burst share 0.01 / (0.01 + 0.1) = 0.09; mean run 1 / 0.1 = 10 packets.
            assertTrue(share > 0.06 && share < 0.12, "lost share " + share);
            assertTrue(meanRun > 7 && meanRun < 13, "mean run of losses " + meanRun);
            assertEquals(lost, net.stats().packetsLost.sum());
            net.bursts(0, 1, 0);
            for (int i = 0; i < 1_000; i++) {
                a.send(B, numbered(i));
            }
            assertEquals(lost, net.stats().packetsLost.sum(), "bursts off, nothing lost");
        }
    }

    @Test
    void duplicatedPacketsArriveTwiceAsSeparateCopies() {
        try (MemoryNetwork net = new MemoryNetwork(seed("duplicate"))) {
            Inbox atB = new Inbox();
            MemoryTransport a = net.bind(A);
            net.bind(B).start(atB);
            a.start(new Inbox());
            net.duplicate(1);
            a.send(B, numbered(42));
            List<Inbox.Arrival> both = List.copyOf(atB.arrivals);
            assertEquals(2, both.size());
            assertArrayEquals(both.get(0).packet(), both.get(1).packet());
            assertNotSame(both.get(0).packet(), both.get(1).packet(), "each copy is the listener's own array");
            net.duplicate(0.2);
            int n = 10_000;
            for (int i = 0; i < n; i++) {
                a.send(B, numbered(i));
            }
            long extra = atB.arrivals.size() - 2 - n;
            assertEquals(extra + 1, net.stats().packetsDuplicated.sum());
            assertTrue(Math.abs(extra - 0.2 * n) < 300, extra + " duplicates of " + n);
        }
    }

    @Test
    void reorderedPacketsAreOvertakenByLaterOnesAndAllArrive() throws Exception {
        try (MemoryNetwork net = new MemoryNetwork(seed("reorder"))) {
            Inbox atB = new Inbox();
            MemoryTransport a = net.bind(A);
            net.bind(B).start(atB);
            a.start(new Inbox());
            net.reorder(0.3, Duration.ofMillis(20));
            int n = 300;
            for (int i = 0; i < n; i++) {
                a.send(B, numbered(i));
            }
            atB.await(n);
            List<Integer> order = atB.numbers();
            assertEquals(
                    IntStream.range(0, n).boxed().toList(),
                    order.stream().sorted().toList(),
                    "all arrived once");
            assertNotEquals(order.stream().sorted().toList(), order, "some were overtaken");
            long reordered = net.stats().packetsReordered.sum();
            assertTrue(reordered > 50 && reordered < 130, reordered + " reordered of " + n);
        }
    }

    @Test
    void latencyIsDrawnPerPacketFromTheGivenDistributionOnBothPaths() throws Exception {
        try (MemoryNetwork net = new MemoryNetwork(seed("latency"))) {
            Inbox atB = new Inbox();
            MemoryTransport a = net.bind(A);
            net.bind(B).start(atB);
            a.start(new Inbox());
            ConcurrentHashMap<String, Integer> links = new ConcurrentHashMap<>();
            PacketDelay uniform = PacketDelay.uniform(Duration.ofMillis(20), Duration.ofMillis(40));
            net.latency((from, to, random) -> {
                links.merge(from + ">" + to, 1, Integer::sum);
                return uniform.nanos(from, to, random);
            });
            int n = 20;
            long[] sentAt = new long[n];
            for (int i = 0; i < n; i++) {
                sentAt[i] = System.nanoTime();
                a.send(B, numbered(i));
            }
            assertEquals(0, atB.arrivals.size(), "nothing arrives during the send");
            for (Inbox.Arrival arrival : atB.await(n)) {
                long delay = arrival.atNanos() - sentAt[arrival.number()];
                assertTrue(delay >= Duration.ofMillis(20).toNanos(), "arrived after " + delay + " ns");
            }
            long before = System.nanoTime();
            a.request(B, new byte[] {1}, Inbox.WAIT).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - before >= Duration.ofMillis(40).toNanos(), "two delayed legs");
            assertEquals(n + 1, links.get(A + ">" + B));
            assertEquals(1, links.get(B + ">" + A));
        }
    }

    @Test
    void latencyShapesStayWithinTheirBounds() {
        Random random = new Random(3);
        PacketDelay uniform = PacketDelay.uniform(Duration.ofMillis(1), Duration.ofMillis(2));
        PacketDelay tail = PacketDelay.exponentialTail(Duration.ofMillis(1), Duration.ofMillis(5));
        double tailSum = 0;
        for (int i = 0; i < 10_000; i++) {
            long u = uniform.nanos(A, B, random);
            assertTrue(u >= 1_000_000 && u <= 2_000_000, "uniform gave " + u);
            long t = tail.nanos(A, B, random);
            assertTrue(t >= 1_000_000, "tail gave " + t);
            tailSum += t - 1_000_000;
        }
        double mean = tailSum / 10_000;
        assertTrue(mean > 4_500_000 && mean < 5_500_000, "tail mean " + mean);
        assertEquals(7_000_000, PacketDelay.constant(Duration.ofMillis(7)).nanos(A, B, random));
        assertThrows(IllegalArgumentException.class, () -> PacketDelay.uniform(Duration.ofMillis(2), Duration.ZERO));
    }

    @Test
    void aBandwidthCapSpacesOutWhatANodeSends() throws Exception {
        try (MemoryNetwork net = new MemoryNetwork(4)) {
            Inbox atB = new Inbox();
            Inbox atA = new Inbox();
            MemoryTransport a = net.bind(A);
            MemoryTransport b = net.bind(B);
            a.start(atA);
            b.start(atB);
            net.bandwidth(A, 100_000); // 1,000-byte packets: one per 10 ms
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                a.send(B, numbered(i, 1_000));
            }
            b.send(A, numbered(99, 1_000));
            assertEquals(List.of(99), atA.numbers(), "the other direction is not capped");
            List<Inbox.Arrival> arrivals = atB.await(10);
            assertEquals(IntStream.range(0, 10).boxed().toList(), atB.numbers());
            long last = arrivals.get(9).atNanos() - start;
            assertTrue(last >= Duration.ofMillis(100).toNanos(), "the tenth arrived after " + last + " ns");
            net.bandwidth(A, 0);
            a.send(B, numbered(10, 1_000));
            assertEquals(11, atB.arrivals.size(), "no cap: at once");
        }
    }

    @Test
    void aSlowReceiverHandlesPacketsOneAfterAnother() throws Exception {
        try (MemoryNetwork net = new MemoryNetwork(5)) {
            Inbox atB = new Inbox();
            MemoryTransport a = net.bind(A);
            net.bind(B).start(atB);
            a.start(new Inbox());
            net.slow(B, Duration.ofMillis(10));
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                a.send(B, numbered(i));
            }
            List<Inbox.Arrival> arrivals = atB.await(10);
            assertEquals(IntStream.range(0, 10).boxed().toList(), atB.numbers());
            for (int i = 0; i < 10; i++) {
                long at = arrivals.get(i).atNanos() - start;
                assertTrue(at >= Duration.ofMillis(10L * (i + 1)).toNanos(), "packet " + i + " after " + at + " ns");
            }
        }
    }

    @Test
    void concurrentSendersUnderEveryFaultLoseNothingUnaccounted() throws Exception {
        try (MemoryNetwork net = new MemoryNetwork(seed("concurrentSenders"))) {
            Inbox atB = new Inbox();
            net.bind(B).start(atB);
            net.loss(0.1);
            net.bursts(0.01, 0.2, 0.8);
            net.duplicate(0.05);
            net.reorder(0.1, Duration.ofMillis(5));
            net.latency(PacketDelay.uniform(Duration.ZERO, Duration.ofMillis(2)));
            int senders = 4;
            int each = 5_000;
            List<MemoryTransport> from = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                MemoryTransport t = net.bind(new Address("10.0.1." + (s + 1), 7946));
                t.start(new Inbox());
                from.add(t);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (MemoryTransport t : from) {
                done.add(CompletableFuture.runAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < each; i++) {
                        t.send(B, numbered(i));
                    }
                }));
            }
            go.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            var stats = net.stats();
            long expected = (long) senders * each - stats.packetsLost.sum() + stats.packetsDuplicated.sum();
            atB.await((int) expected);
            assertEquals(expected, stats.packetsDelivered.sum());
        }
    }
}
