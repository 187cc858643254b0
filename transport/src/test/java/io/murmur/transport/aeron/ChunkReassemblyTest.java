package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ChunkReassemblyTest {

    private static final long TIMEOUT = 1_000;
    private static final Address PEER = new Address("127.0.0.1", 7946);

    private static ChunkReassembly.Key key(long id) {
        return new ChunkReassembly.Key(PEER, Envelope.Kind.REQUEST, id);
    }

    private static ChunkReassembly.Result feed(ChunkReassembly r, long id, byte[] message, int from, int to, long now) {
        return r.accept(key(id), message.length, from, new UnsafeBuffer(message), from, to - from, now);
    }

    private static byte[] message(int n) {
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) {
            m[i] = (byte) (i * 31);
        }
        return m;
    }

    @Test
    void aSingleChunkMessageCompletesAtOnceWithoutReservingBudget() {
        ChunkReassembly r = new ChunkReassembly(10, TIMEOUT);
        byte[] m = message(100);
        ChunkReassembly.Complete c = assertInstanceOf(ChunkReassembly.Complete.class, feed(r, 1, m, 0, 100, 0));
        assertArrayEquals(m, c.message());
        assertEquals(0, r.reservedBytes());
    }

    @Test
    void chunksInOrderRebuildTheMessageAndReturnTheirBudget() {
        ChunkReassembly r = new ChunkReassembly(1_000, TIMEOUT);
        byte[] m = message(250);
        assertSame(ChunkReassembly.Partial.INSTANCE, feed(r, 1, m, 0, 100, 0));
        assertEquals(250, r.reservedBytes());
        assertEquals(1, r.open(Envelope.Kind.REQUEST));
        assertSame(ChunkReassembly.Partial.INSTANCE, feed(r, 1, m, 100, 200, 1));
        ChunkReassembly.Complete c = assertInstanceOf(ChunkReassembly.Complete.class, feed(r, 1, m, 200, 250, 2));
        assertArrayEquals(m, c.message());
        assertEquals(0, r.reservedBytes());
        assertEquals(0, r.open(Envelope.Kind.REQUEST));
    }

    @Test
    void interleavedMessagesFromOneSenderStayApart() {
        ChunkReassembly r = new ChunkReassembly(1_000, TIMEOUT);
        byte[] a = message(20);
        byte[] b = message(30);
        b[0] = 99;
        feed(r, 1, a, 0, 10, 0);
        feed(r, 2, b, 0, 10, 0);
        assertArrayEquals(
                b,
                assertInstanceOf(ChunkReassembly.Complete.class, feed(r, 2, b, 10, 30, 0))
                        .message());
        assertArrayEquals(
                a,
                assertInstanceOf(ChunkReassembly.Complete.class, feed(r, 1, a, 10, 20, 0))
                        .message());
    }

    @Test
    void aMessageOverTheBudgetIsDiscarded() {
        ChunkReassembly r = new ChunkReassembly(300, TIMEOUT);
        feed(r, 1, message(200), 0, 10, 0);
        assertInstanceOf(ChunkReassembly.Discarded.class, feed(r, 2, message(200), 0, 10, 0));
        assertEquals(200, r.reservedBytes());
        assertSame(ChunkReassembly.Orphan.INSTANCE, feed(r, 2, message(200), 10, 20, 0), "its later chunks");
    }

    @Test
    void aChunkOutOfOrderDiscardsItsMessage() {
        ChunkReassembly r = new ChunkReassembly(1_000, TIMEOUT);
        byte[] m = message(100);
        feed(r, 1, m, 0, 10, 0);
        assertInstanceOf(ChunkReassembly.Discarded.class, feed(r, 1, m, 20, 30, 0));
        assertEquals(0, r.reservedBytes());
    }

    @Test
    void aStalledMessageExpiresAndFreesItsBudget() {
        ChunkReassembly r = new ChunkReassembly(1_000, TIMEOUT);
        byte[] m = message(100);
        feed(r, 1, m, 0, 10, 0);
        feed(r, 1, m, 10, 20, 900);
        assertEquals(0, r.expire(1_900), "progress restarts the clock");
        assertEquals(1, r.expire(1_901));
        assertEquals(0, r.reservedBytes());
        assertTrue(!r.isOpen(key(1)));
    }
}
