package io.murmur.transport.memory;

import static io.murmur.transport.memory.Inbox.numbered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A paused node's links hold its traffic both ways and flush it in order at the resume. Pauses that must not end
 * during a check last an hour and are ended by {@link MemoryNetwork#resume}; pauses that end by themselves are
 * awaited through the stage {@link MemoryNetwork#pause} returns.
 */
class MemoryNetworkPauseTest {

    static final Address A = new Address("10.0.0.1", 7946);
    static final Address B = new Address("10.0.0.2", 7946);
    static final Address C = new Address("10.0.0.3", 7946);
    static final Duration LONG = Duration.ofHours(1);

    private final MemoryNetwork net = new MemoryNetwork(1);
    private final Inbox atA = new Inbox();
    private final Inbox atB = new Inbox();
    private final MemoryTransport a = net.bind(A);
    private final MemoryTransport b = net.bind(B);

    MemoryNetworkPauseTest() {
        a.start(atA);
        b.start(atB);
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        net.close();
    }

    @Test
    void packetsToAPausedNodeWaitForTheResumeAndArriveInOrder() {
        net.pause(B, LONG);
        assertTrue(net.isPaused(B));
        for (int i = 0; i < 10; i++) {
            a.send(B, numbered(i));
        }
        assertEquals(List.of(), atB.numbers(), "held while paused");
        assertEquals(10, net.stats().packetsHeld.sum());
        assertTrue(net.resume(B).toCompletableFuture().isDone(), "flushed on this thread");
        assertFalse(net.isPaused(B));
        assertEquals(IntStream.range(0, 10).boxed().toList(), atB.numbers(), "flushed in order at the resume");
        a.send(B, numbered(10));
        assertEquals(11, atB.arrivals.size(), "after the resume, at once again");
    }

    @Test
    void aPausedNodeSendsNothingUntilItResumes() {
        net.pause(B, LONG);
        for (int i = 0; i < 5; i++) {
            b.send(A, numbered(i));
        }
        assertEquals(List.of(), atA.numbers());
        net.resume(B);
        assertEquals(List.of(0, 1, 2, 3, 4), atA.numbers());
    }

    @Test
    void packetsBetweenOtherNodesAreNotHeld() {
        MemoryTransport c = net.bind(C);
        Inbox atC = new Inbox();
        c.start(atC);
        net.pause(B, LONG);
        a.send(C, numbered(1));
        c.send(A, numbered(2));
        assertEquals(List.of(1), atC.numbers());
        assertEquals(List.of(2), atA.numbers());
    }

    @Test
    void aPauseEndsByItselfAndItsStageCompletesAfterTheFlush() throws Exception {
        CompletableFuture<Void> resumed = net.pause(B, Duration.ofMillis(50)).toCompletableFuture();
        a.send(B, numbered(1));
        b.send(A, numbered(2));
        resumed.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(1), atB.numbers());
        assertEquals(List.of(2), atA.numbers());
        assertFalse(net.isPaused(B));
    }

    @Test
    void aPausedNodesBufferDropsWhatExceedsIt() {
        int over = 100;
        net.pause(B, LONG);
        for (int i = 0; i < MemoryNetwork.PAUSE_BUFFER_PACKETS + over; i++) {
            a.send(B, numbered(i));
            b.send(A, numbered(i));
        }
        assertEquals(2L * over, net.stats().packetsDroppedWhilePaused.sum(), "each direction holds its own buffer");
        net.resume(B);
        List<Integer> firsts =
                IntStream.range(0, MemoryNetwork.PAUSE_BUFFER_PACKETS).boxed().toList();
        assertEquals(firsts, atB.numbers(), "the oldest are kept, as a socket buffer keeps them");
        assertEquals(firsts, atA.numbers());
    }

    @Test
    void pausingAPausedNodeKeepsItPausedUntilTheLaterEnd() throws Exception {
        net.pause(B, Duration.ofMillis(20));
        CompletableFuture<Void> extended = net.pause(B, LONG).toCompletableFuture();
        MemoryTransport c = net.bind(C);
        c.start(new Inbox());
        // C's pause ends well after B's first end: by then B must still be paused.
        net.pause(C, Duration.ofMillis(200)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(net.isPaused(B));
        assertFalse(extended.isDone());
        a.send(B, numbered(1));
        assertEquals(List.of(), atB.numbers());
        net.resume(B);
        assertTrue(extended.isDone());
        assertEquals(List.of(1), atB.numbers());
    }

    @Test
    void aPacketBetweenTwoPausedNodesWaitsForBoth() {
        MemoryTransport c = net.bind(C);
        Inbox atC = new Inbox();
        c.start(atC);
        net.pause(B, LONG);
        net.pause(C, LONG);
        b.send(C, numbered(1));
        net.resume(B);
        assertEquals(List.of(), atC.numbers(), "out of B, held at C");
        net.resume(C);
        assertEquals(List.of(1), atC.numbers());
    }

    @Test
    void faultsApplyToHeldPacketsWhenTheyLeaveAtTheResume() {
        net.pause(B, LONG);
        b.send(A, numbered(1));
        net.cut(B, A);
        net.resume(B);
        assertEquals(List.of(), atA.numbers(), "cut by the time it left");
        assertEquals(1, net.stats().packetsCut.sum());
    }

    @Test
    void anExchangeWithAPausedNodeCompletesAfterTheResume() throws Exception {
        net.pause(B, LONG);
        CompletableFuture<byte[]> toPaused =
                a.request(B, new byte[] {1}, Inbox.WAIT).toCompletableFuture();
        CompletableFuture<byte[]> fromPaused =
                b.request(A, new byte[] {2}, Inbox.WAIT).toCompletableFuture();
        assertTrue(atB.requests.isEmpty(), "the request waits for the resume");
        assertTrue(atA.requests.isEmpty(), "so does the paused node's own");
        assertFalse(toPaused.isDone());
        assertFalse(fromPaused.isDone());
        net.resume(B);
        assertArrayEquals(new byte[] {1}, toPaused.get(10, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {2}, fromPaused.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anExchangeTimesOutWhenThePauseOutlastsIt() {
        net.pause(B, LONG);
        ExecutionException failed = assertThrows(
                ExecutionException.class,
                () -> a.request(B, new byte[] {1}, Duration.ofMillis(50))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, failed.getCause());
        assertEquals(1, a.stats().requestsFailed.sum());
    }

    @Test
    void resumingANodeThatIsNotPausedDoesNothing() {
        assertTrue(net.resume(B).toCompletableFuture().isDone());
        a.send(B, numbered(1));
        assertEquals(List.of(1), atB.numbers());
    }

    @Test
    void closingTheNetworkEndsItsPauses() throws Exception {
        CompletableFuture<Void> resumed = net.pause(B, LONG).toCompletableFuture();
        net.close();
        resumed.get(10, TimeUnit.SECONDS);
        assertFalse(net.isPaused(B));
    }
}
