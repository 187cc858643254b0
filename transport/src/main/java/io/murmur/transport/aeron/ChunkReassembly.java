package io.murmur.transport.aeron;

import io.murmur.protocol.Address;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.agrona.DirectBuffer;

/**
 * Puts reliable-path messages back together from their chunks, within a memory budget. Chunks of one message arrive
 * in order (the stream is reliable and each message's chunks leave one publication in order), so a message is a
 * buffer filled front to back; a chunk that does not continue it discards the message. A message whose next chunk
 * does not come within the timeout is discarded too, returning its bytes to the budget. Not thread-safe: the poller
 * owns it.
 */
final class ChunkReassembly {

    /** Identifies one message: its sender, kind and correlation id. */
    record Key(Address from, Envelope.Kind kind, long correlationId) {}

    /** What one chunk did. */
    sealed interface Result permits Complete, Partial, Orphan, Discarded {}

    /** The chunk completed its message. */
    record Complete(byte[] message) implements Result {}

    /** The chunk was stored; more are expected. */
    enum Partial implements Result {
        INSTANCE
    }

    /** The chunk continues no message: its start was refused or discarded before. Ignored. */
    enum Orphan implements Result {
        INSTANCE
    }

    /** The chunk, and the message it belongs to if any, were thrown away. */
    record Discarded(String reason) implements Result {}

    private static final class Assembly {
        final byte[] buffer;
        int received;
        long lastChunkNanos;

        Assembly(int total, long nowNanos) {
            this.buffer = new byte[total];
            this.lastChunkNanos = nowNanos;
        }
    }

    private final Map<Key, Assembly> assemblies = new HashMap<>();
    private final long budgetBytes;
    private final long timeoutNanos;
    private long reservedBytes;

    ChunkReassembly(long budgetBytes, long timeoutNanos) {
        this.budgetBytes = budgetBytes;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Adds the chunk of {@code length} bytes at {@code offset} of {@code buffer}, which belongs at {@code chunkOffset}
     * of the {@code total}-byte message {@code key}.
     */
    Result accept(Key key, int total, int chunkOffset, DirectBuffer buffer, int offset, int length, long nowNanos) {
        Assembly a = assemblies.get(key);
        if (a == null) {
            if (chunkOffset != 0) {
                return Orphan.INSTANCE;
            }
            if (length == total) {
                byte[] whole = new byte[total];
                buffer.getBytes(offset, whole);
                return new Complete(whole);
            }
            if (reservedBytes + total > budgetBytes) {
                return new Discarded("reassembly budget exhausted");
            }
            a = new Assembly(total, nowNanos);
            assemblies.put(key, a);
            reservedBytes += total;
        } else if (chunkOffset != a.received || total != a.buffer.length) {
            remove(key, a);
            return new Discarded("chunk out of order");
        }
        buffer.getBytes(offset, a.buffer, chunkOffset, length);
        a.received += length;
        a.lastChunkNanos = nowNanos;
        if (a.received == a.buffer.length) {
            remove(key, a);
            return new Complete(a.buffer);
        }
        return Partial.INSTANCE;
    }

    /** Whether a message is being reassembled under {@code key}. */
    boolean isOpen(Key key) {
        return assemblies.containsKey(key);
    }

    /** Discards the messages that made no progress within the timeout; returns how many. */
    int expire(long nowNanos) {
        int n = 0;
        for (Iterator<Map.Entry<Key, Assembly>> it = assemblies.entrySet().iterator(); it.hasNext(); ) {
            Assembly a = it.next().getValue();
            if (nowNanos - a.lastChunkNanos > timeoutNanos) {
                it.remove();
                reservedBytes -= a.buffer.length;
                n++;
            }
        }
        return n;
    }

    /** Messages being reassembled whose kind is {@code kind}. */
    int open(Envelope.Kind kind) {
        int n = 0;
        for (Key k : assemblies.keySet()) {
            n += k.kind() == kind ? 1 : 0;
        }
        return n;
    }

    /** Bytes reserved by messages being reassembled. */
    long reservedBytes() {
        return reservedBytes;
    }

    private void remove(Key key, Assembly a) {
        assemblies.remove(key);
        reservedBytes -= a.buffer.length;
    }
}
