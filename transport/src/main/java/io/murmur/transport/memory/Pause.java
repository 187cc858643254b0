package io.murmur.transport.memory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic a paused node's links hold until its pause ends, in the order it came: packets it sent, packets sent to
 * it (each direction bounded like a socket buffer; more are dropped), and reliable-path messages either way (held
 * without a bound, as a TCP connection would keep them; there are few).
 *
 * <p>Thread-safe. Lock order: {@link MemoryNetwork}'s pause lock, then this; nothing is run while holding this lock.
 */
final class Pause {

    private static final Logger LOG = LoggerFactory.getLogger(Pause.class);

    /** What a held item is, for the buffer bounds. */
    enum Kind {
        PACKET_OUT,
        PACKET_IN,
        EXCHANGE
    }

    /** The result of offering an item to a pause. */
    enum Offer {
        /** Held; it runs when the pause ends. */
        HELD,
        /** The buffer for its direction is full: the item is dropped. */
        DROPPED,
        /** The pause is over: run the item now. */
        NOT_PAUSED
    }

    private record Held(Runnable run, Kind kind) {}

    private final int capacity;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final CompletableFuture<Void> resumed = new CompletableFuture<>();
    private long untilNanos;
    private int packetsIn;
    private int packetsOut;
    private boolean flushing;
    private boolean over;

    Pause(long untilNanos, int capacity) {
        this.untilNanos = untilNanos;
        this.capacity = capacity;
    }

    /** Completes once the pause has ended and everything held has been passed on. */
    CompletableFuture<Void> resumed() {
        return resumed;
    }

    synchronized long untilNanos() {
        return untilNanos;
    }

    /**
     * Makes the pause last at least until {@code until}; stops a flush in progress (what it has not passed on yet
     * stays held). Returns false when this pause is already over: start a new one.
     */
    synchronized boolean extend(long until) {
        if (over) {
            return false;
        }
        untilNanos = Math.max(untilNanos, until);
        flushing = false;
        return true;
    }

    /** Ends the pause now (the flush still has to run). */
    synchronized void endNow(long now) {
        untilNanos = Math.min(untilNanos, now);
    }

    synchronized Offer offer(Runnable item, Kind kind) {
        if (over) {
            return Offer.NOT_PAUSED;
        }
        if (kind == Kind.PACKET_IN) {
            if (packetsIn >= capacity) {
                return Offer.DROPPED;
            }
            packetsIn++;
        } else if (kind == Kind.PACKET_OUT) {
            if (packetsOut >= capacity) {
                return Offer.DROPPED;
            }
            packetsOut++;
        }
        held.add(new Held(item, kind));
        return Offer.HELD;
    }

    /**
     * Passes on what was held, in order, on the calling thread, if the pause is due to end at {@code now}. Items
     * offered meanwhile queue behind; the pause is over only once the queue is empty. Returns true when this call
     * ended the pause.
     */
    boolean flushIfDue(long now) {
        synchronized (this) {
            if (over || flushing || now < untilNanos) {
                return false;
            }
            flushing = true;
        }
        while (true) {
            Held next;
            synchronized (this) {
                if (!flushing) {
                    return false; // paused again: the rest stays held
                }
                next = held.poll();
                if (next == null) {
                    over = true;
                    flushing = false;
                    break;
                }
                if (next.kind() == Kind.PACKET_IN) {
                    packetsIn--;
                } else if (next.kind() == Kind.PACKET_OUT) {
                    packetsOut--;
                }
            }
            try {
                next.run().run();
            } catch (RuntimeException e) {
                LOG.warn("a delivery held by a pause failed", e);
            }
        }
        resumed.complete(null);
        return true;
    }

    /** Drops everything held and ends the pause (the network is closing). */
    void discard() {
        synchronized (this) {
            held.clear();
            over = true;
        }
        resumed.complete(null);
    }
}
