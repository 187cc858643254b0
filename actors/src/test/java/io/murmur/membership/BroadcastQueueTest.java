package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** memberlist's transmit-limited queue ({@code queue.go}). */
class BroadcastQueueTest {

    private static final int OVERHEAD = BroadcastQueue.PER_MESSAGE_OVERHEAD;
    private static final int BIG = 1 << 20;

    private final BroadcastQueue queue = new BroadcastQueue(4);
    private final List<Object> done = new ArrayList<>();

    /** A message of {@code size} bytes whose first byte tells it apart. */
    private static byte[] msg(int tag, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) tag;
        return b;
    }

    private static List<Integer> tags(List<byte[]> taken) {
        return taken.stream().map(b -> (int) b[0]).toList();
    }

    private List<byte[]> take(int limit, int maxMessages, int n) {
        return queue.take(limit, maxMessages, n, done);
    }

    @ParameterizedTest(name = "mult={0} N={1}: {2}")
    @CsvSource({
        "4, 0, 0",
        "4, 1, 4",
        "4, 9, 4",
        "4, 10, 8",
        "4, 99, 8",
        "4, 100, 12",
        "4, 1000, 16",
        "4, 10000, 20",
        "2, 10, 4",
        "2, 1000, 8",
    })
    void retransmitLimitIsMultTimesCeilLog10OfNPlusOne(int mult, int n, int limit) {
        assertEquals(limit, BroadcastQueue.retransmitLimit(mult, n));
    }

    @Test
    void waitingBroadcastsAreCountedByTheKindTheyWereQueuedWith() {
        queue.enqueue(null, msg(1, 10), null, done, 0, "intents");
        queue.enqueue(null, msg(2, 10), null, done, 0, "events");
        queue.enqueue(null, msg(3, 10), null, done, 0, "events");
        queue.enqueue(null, msg(4, 10), null, done); // unlabelled: in size() only
        assertEquals(Map.of("intents", 1, "events", 2), queue.countByKind());
        assertEquals(4, queue.size());
        // N = 1: each is sent 4 times, then it is done and no longer counted.
        for (int i = 0; i < 4; i++) {
            assertEquals(4, take(BIG, 10, 1).size());
        }
        assertEquals(Map.of(), queue.countByKind());
        assertEquals(0, queue.size());
    }

    @Test
    void leastTransmittedGoFirst() {
        queue.enqueue(null, msg(1, 10), null, done);
        assertEquals(List.of(1), tags(take(BIG, 1, 10)));
        queue.enqueue(null, msg(2, 10), null, done);
        // 2 has never been sent, 1 once.
        assertEquals(List.of(2), tags(take(BIG, 1, 10)));
        // Both sent once, equal size: the newest first.
        assertEquals(List.of(2, 1), tags(take(BIG, 5, 10)));
    }

    @Test
    void largestGoFirstAmongEquallyTransmitted() {
        queue.enqueue(null, msg(1, 10), null, done);
        queue.enqueue(null, msg(2, 30), null, done);
        queue.enqueue(null, msg(3, 20), null, done);
        assertEquals(List.of(2, 3, 1), tags(take(BIG, 10, 10)));
    }

    @Test
    void newestGoFirstAmongEquallyTransmittedOfEqualSize() {
        queue.enqueue(null, msg(1, 10), null, done);
        queue.enqueue(null, msg(2, 10), null, done);
        queue.enqueue(null, msg(3, 10), null, done);
        assertEquals(List.of(3, 2, 1), tags(take(BIG, 10, 10)));
    }

    @Test
    void orderIsTransmitsThenSizeThenAge() {
        queue.enqueue(null, msg(1, 50), null, done);
        take(BIG, 1, 10); // 1 sent once
        queue.enqueue(null, msg(2, 10), null, done);
        queue.enqueue(null, msg(3, 20), null, done);
        queue.enqueue(null, msg(4, 10), null, done);
        assertEquals(List.of(3, 4, 2, 1), tags(take(BIG, 10, 10)));
    }

    @Test
    void broadcastIsSentRetransmitLimitTimesThenDone() {
        Object token = new Object();
        for (int n : new int[] {9, 10}) {
            BroadcastQueue q = new BroadcastQueue(4);
            List<Object> doneHere = new ArrayList<>();
            q.enqueue("a", msg(1, 10), token, doneHere);
            int sent = 0;
            while (!q.take(BIG, 10, n, doneHere).isEmpty()) {
                sent++;
                assertEquals(sent == BroadcastQueue.retransmitLimit(4, n) ? 1 : 0, doneHere.size(), "after " + sent);
            }
            assertEquals(n == 9 ? 4 : 8, sent, "N=" + n);
            assertEquals(List.of(token), doneHere);
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void transmitLimitFollowsTheClusterSizeAtTakeTime() {
        queue.enqueue(null, msg(1, 10), null, done);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, take(BIG, 1, 9).size());
        }
        // The cluster grew past 9: the limit rises from 4 to 8, so the broadcast has more to go.
        int more = 0;
        while (!take(BIG, 1, 10).isEmpty()) {
            more++;
        }
        assertEquals(5, more);
    }

    @Test
    void newerBroadcastAboutNodeReplacesQueuedOne() {
        Object first = "first";
        queue.enqueue("a", msg(1, 10), first, done);
        queue.enqueue("b", msg(2, 10), null, done);
        queue.enqueue("a", msg(3, 12), "second", done);

        assertEquals(List.of(first), done, "the replaced broadcast is done");
        assertEquals(2, queue.size());
        assertEquals(22, queue.bytes());
        assertEquals(List.of(3, 2), tags(take(BIG, 10, 10)));
    }

    @Test
    void replacementStartsWithAFreshTransmitCount() {
        queue.enqueue("a", msg(1, 10), null, done);
        take(BIG, 1, 9);
        take(BIG, 1, 9);
        queue.enqueue("a", msg(2, 10), null, done);
        int sent = 0;
        while (!take(BIG, 1, 9).isEmpty()) {
            sent++;
        }
        assertEquals(4, sent);
    }

    @Test
    void replacingABroadcastThatIsAlreadyDoneReportsNothing() {
        queue.enqueue("a", msg(1, 10), "token", done);
        while (!take(BIG, 1, 1).isEmpty()) {}
        assertEquals(List.of("token"), done);
        queue.enqueue("a", msg(2, 10), null, done);
        assertEquals(List.of("token"), done);
        assertEquals(1, queue.size());
    }

    @Test
    void unnamedBroadcastsAreNeverReplaced() {
        queue.enqueue(null, msg(1, 10), "t1", done);
        queue.enqueue(null, msg(2, 10), "t2", done);
        assertEquals(2, queue.size());
        assertEquals(List.of(), done);
    }

    @Test
    void packetLimitIsRespectedIncludingPerMessageOverhead() {
        for (int i = 0; i < 5; i++) {
            queue.enqueue(null, msg(i, 10), null, done);
        }
        assertEquals(2, take(2 * (10 + OVERHEAD), 10, 10).size(), "exactly two fit");
        assertEquals(1, take(2 * (10 + OVERHEAD) - 1, 10, 10).size(), "one byte short of two");
        assertEquals(0, take(10 + OVERHEAD - 1, 10, 10).size(), "one byte short of one");
        assertEquals(0, take(0, 10, 10).size());
        assertEquals(0, take(-5, 10, 10).size());
    }

    @Test
    void takenBytesNeverExceedTheLimit() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            queue.enqueue(i % 3 == 0 ? null : "n" + i % 50, msg(i, 1 + random.nextInt(200)), null, done);
        }
        for (int round = 0; round < 200; round++) {
            int limit = random.nextInt(1, 1400);
            int used = 0;
            for (byte[] b : take(limit, 255, 100)) {
                used += b.length + OVERHEAD;
            }
            assertTrue(used <= limit, "round " + round + ": " + used + " > " + limit);
        }
    }

    @Test
    void smallerBroadcastsFillTheSpaceALargerOneLeaves() {
        queue.enqueue(null, msg(1, 100), null, done);
        queue.enqueue(null, msg(2, 10), null, done);
        queue.enqueue(null, msg(3, 10), null, done);
        assertEquals(List.of(3, 2), tags(take(2 * (10 + OVERHEAD), 10, 10)));
        // With room, the large one (never sent) comes first, then the others (sent once).
        assertEquals(List.of(1, 3, 2), tags(take(BIG, 10, 10)));
    }

    @Test
    void moreTransmittedBroadcastsFillWhatIsLeft() {
        queue.enqueue(null, msg(1, 10), null, done);
        take(BIG, 1, 10);
        queue.enqueue(null, msg(2, 50), null, done);
        // 2 (never sent) does not fit, 1 (sent once) does.
        assertEquals(List.of(1), tags(take(20, 10, 10)));
    }

    @Test
    void maxMessagesIsRespected() {
        for (int i = 0; i < 10; i++) {
            queue.enqueue(null, msg(i, 10), null, done);
        }
        assertEquals(3, take(BIG, 3, 10).size());
        assertEquals(0, take(BIG, 0, 10).size());
        assertEquals(10, queue.size());
    }

    @Test
    void noBroadcastIsTakenTwiceInOneTake() {
        queue.enqueue(null, msg(1, 10), null, done);
        queue.enqueue(null, msg(2, 10), null, done);
        assertEquals(2, take(BIG, 100, 10_000).size());
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            for (int tag : tags(take(BIG, 100, 10_000))) {
                counts.merge(tag, 1, Integer::sum);
            }
        }
        assertEquals(Map.of(1, 5, 2, 5), counts);
    }

    @Test
    void takeThatTakesNothingCountsNoTransmission() {
        queue.enqueue(null, msg(1, 10), null, done);
        for (int i = 0; i < 10; i++) {
            take(5, 10, 9);
            take(BIG, 0, 9);
        }
        int sent = 0;
        while (!take(BIG, 1, 9).isEmpty()) {
            sent++;
        }
        assertEquals(4, sent);
    }

    @Test
    void pruneKeepsTheLeastTransmittedAndReportsTheDropped() {
        queue.enqueue(null, msg(1, 10), "t1", done);
        queue.enqueue(null, msg(2, 10), "t2", done);
        take(BIG, 10, 100); // both sent once
        queue.enqueue(null, msg(3, 10), "t3", done);
        queue.enqueue(null, msg(4, 10), null, done);

        queue.prune(2, done);

        assertEquals(2, queue.size());
        assertEquals(20, queue.bytes());
        assertEquals(2, done.size());
        assertTrue(done.containsAll(List.of("t1", "t2")));
        assertEquals(List.of(4, 3), tags(take(BIG, 10, 100)));
    }

    @Test
    void pruneOfNamedBroadcastForgetsTheName() {
        queue.enqueue("a", msg(1, 10), "t1", done);
        queue.prune(0, done);
        queue.enqueue("a", msg(2, 10), "t2", done);
        assertEquals(List.of("t1"), done, "t1 reported once, by the prune");
        assertEquals(1, queue.size());
    }

    @Test
    void sizeAndBytesFollowEnqueueTakeAndDrop() {
        queue.enqueue("a", msg(1, 10), null, done);
        queue.enqueue(null, msg(2, 25), null, done);
        assertEquals(2, queue.size());
        assertEquals(35, queue.bytes());
        take(BIG, 10, 0); // N = 0: limit 0, everything is dropped after one send
        assertEquals(0, queue.size());
        assertEquals(0, queue.bytes());
        assertTrue(queue.isEmpty());
    }

    @Test
    void firstSizeIsTheSizeOfTheBroadcastThatGoesFirst() {
        assertEquals(0, queue.firstSize());
        queue.enqueue(null, msg(1, 10), null, done);
        queue.enqueue(null, msg(2, 30), null, done);
        assertEquals(30, queue.firstSize());
        take(BIG, 1, 10); // 2 sent once: 1 is now the least transmitted
        assertEquals(10, queue.firstSize());
    }

    @Test
    void takenMessagesAreTheQueuedBytes() {
        byte[] m = msg(9, 33);
        m[32] = 42;
        queue.enqueue(null, m, null, done);
        assertArrayEquals(m, take(BIG, 1, 10).get(0));
    }

    @Test
    void extraTransmissionsGoFirstAndLastLonger() {
        queue.enqueue("alive", msg(1, 10), null, done);
        queue.enqueue("dead", msg(2, 10), null, done, BroadcastQueue.retransmitLimit(4, 9));
        // N=9: a limit of 4 for the ordinary broadcast, 8 for the one with extra transmissions, which goes first.
        assertEquals(List.of(2), tags(take(BIG, 1, 9)));
        int ordinary = 0;
        int extra = 1;
        for (int i = 0; i < 20; i++) {
            for (int tag : tags(take(BIG, 5, 9))) {
                if (tag == 1) {
                    ordinary++;
                } else {
                    extra++;
                }
            }
        }
        assertEquals(4, ordinary);
        assertEquals(8, extra);
    }
}
