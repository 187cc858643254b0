package io.murmur.transport.aeron;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Packets waiting for a publication to connect, oldest first: at most {@code maxPackets}, each for at most
 * {@code maxAgeNanos}. Not thread-safe; its route guards it.
 */
final class HeldPackets {

    /** One waiting packet, with the node that sent it and when it began to wait. */
    record Held(Sender sender, byte[] payload, long heldAtNanos) {}

    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private final int maxPackets;
    private final long maxAgeNanos;

    HeldPackets(int maxPackets, long maxAgeNanos) {
        this.maxPackets = maxPackets;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** Holds the packet; false when the queue is full (the caller drops it). */
    boolean hold(Held held) {
        if (queue.size() >= maxPackets) {
            return false;
        }
        queue.addLast(held);
        return true;
    }

    /** Removes the packets that have waited longer than allowed, handing each to {@code expired}. */
    int expire(long nowNanos, Consumer<Held> expired) {
        int n = 0;
        while (!queue.isEmpty() && nowNanos - queue.peekFirst().heldAtNanos() > maxAgeNanos) {
            expired.accept(queue.pollFirst());
            n++;
        }
        return n;
    }

    /** The oldest packet, or null. */
    Held peek() {
        return queue.peekFirst();
    }

    /** Removes the oldest packet. */
    Held poll() {
        return queue.pollFirst();
    }

    /** Removes every packet, handing each to {@code dropped}. */
    int clear(Consumer<Held> dropped) {
        int n = queue.size();
        Held h;
        while ((h = queue.pollFirst()) != null) {
            dropped.accept(h);
        }
        return n;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }
}
