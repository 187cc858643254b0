package io.murmur.membership;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * memberlist's {@code TransmitLimitedQueue}: encoded broadcasts waiting to be piggy-backed, each sent at most
 * {@code retransmitMult * ceil(log10(N + 1))} times. The least-transmitted go first, and among those the largest that
 * still fits, then the newest. A broadcast about a node replaces any queued one about the same node, so the queue
 * holds at most one message per member plus the unnamed ones.
 */
final class BroadcastQueue {

    /** Bytes a packet spends per piggy-backed message besides the message (its compound length prefix). */
    static final int PER_MESSAGE_OVERHEAD = 3;

    private static final class Item {
        final String name;
        final byte[] message;
        final int size;
        final Object doneToken;
        final long id;
        final String kind;
        int transmits;

        Item(String name, byte[] message, int size, Object doneToken, long id, int transmits, String kind) {
            this.name = name;
            this.message = message;
            this.size = size;
            this.doneToken = doneToken;
            this.id = id;
            this.transmits = transmits;
            this.kind = kind;
        }
    }

    // Least transmitted first; within a tier the largest first; then the newest. Written out rather than chained from
    // Comparator.comparingInt and friends, whose lambdas every user in the JVM shares: called from there, the key
    // extractors are not inlined, and a mass join runs this for every broadcast it queues, sends and re-queues.
    private static final Comparator<Item> ORDER = (a, b) -> {
        if (a.transmits != b.transmits) {
            return Integer.compare(a.transmits, b.transmits);
        }
        if (a.size != b.size) {
            return Integer.compare(b.size, a.size);
        }
        return Long.compare(b.id, a.id);
    };

    private final TreeSet<Item> queue = new TreeSet<>(ORDER);
    private final Map<String, Item> byName = new HashMap<>();
    private final int retransmitMult;
    private long nextId;
    private long bytes;

    BroadcastQueue(int retransmitMult) {
        this.retransmitMult = retransmitMult;
    }

    /** memberlist's {@code retransmitLimit}. */
    static int retransmitLimit(int retransmitMult, int numNodes) {
        return retransmitMult * (int) Math.ceil(Math.log10(numNodes + 1.0));
    }

    /**
     * Queues {@code message}, replacing the queued broadcast with the same {@code name} (null: never replaced). The
     * tokens of replaced broadcasts are added to {@code done}.
     */
    void enqueue(String name, byte[] message, Object doneToken, List<Object> done) {
        enqueue(name, message, doneToken, done, 0);
    }

    /**
     * Queues {@code message} to be sent {@code extra} more times than the transmit limit; it also goes before the
     * broadcasts that have been sent as often as it (a negative transmit count sorts first).
     */
    void enqueue(String name, byte[] message, Object doneToken, List<Object> done, int extra) {
        enqueue(name, message, doneToken, done, extra, null);
    }

    /** As above, labelled with {@code kind} (null: none) for {@link #countByKind}. */
    void enqueue(String name, byte[] message, Object doneToken, List<Object> done, int extra, String kind) {
        if (name != null) {
            Item old = byName.remove(name);
            if (old != null) {
                remove(old);
                finished(old, done);
            }
        }
        Item item = new Item(name, message, message.length, doneToken, nextId++, -extra, kind);
        queue.add(item);
        bytes += message.length;
        if (name != null) {
            byName.put(name, item);
        }
    }

    /**
     * memberlist's {@code GetBroadcasts}: takes messages that fit in {@code limit} bytes (each costing its length plus
     * {@link #PER_MESSAGE_OVERHEAD}), at most {@code maxMessages}, counts a transmission for each, and drops those that
     * reached their limit (adding their tokens to {@code done}).
     */
    List<byte[]> take(int limit, int maxMessages, int numNodes, List<Object> done) {
        List<byte[]> taken = new ArrayList<>();
        if (queue.isEmpty() || maxMessages <= 0) {
            return taken;
        }
        int transmitLimit = retransmitLimit(retransmitMult, numNodes);
        List<Item> reinsert = new ArrayList<>();
        int used = 0;
        int tier = queue.first().transmits;
        int maxTier = queue.last().transmits;
        while (tier <= maxTier && taken.size() < maxMessages) {
            int free = limit - used - PER_MESSAGE_OVERHEAD;
            if (free <= 0) {
                break;
            }
            Item fit = queue.ceiling(new Item(null, null, free, null, Long.MAX_VALUE, tier, null));
            if (fit == null || fit.transmits != tier) {
                tier++;
                continue;
            }
            taken.add(fit.message);
            used += PER_MESSAGE_OVERHEAD + fit.message.length;
            remove(fit);
            if (fit.transmits + 1 >= transmitLimit) {
                finished(fit, done);
            } else {
                // Re-inserted after the walk, so that it is not picked again from the next tier.
                fit.transmits++;
                reinsert.add(fit);
            }
        }
        for (Item item : reinsert) {
            queue.add(item);
            bytes += item.message.length;
            if (item.name != null) {
                byName.put(item.name, item);
            }
        }
        return taken;
    }

    /** memberlist's {@code Prune}: keeps the {@code maxRetain} least-transmitted broadcasts. */
    void prune(int maxRetain, List<Object> done) {
        while (queue.size() > maxRetain) {
            Item item = queue.last();
            remove(item);
            finished(item, done);
        }
    }

    int size() {
        return queue.size();
    }

    /** Broadcasts waiting, by the kind they were queued with; those queued without one are not listed. */
    Map<String, Integer> countByKind() {
        Map<String, Integer> counts = new HashMap<>();
        for (Item item : queue) {
            if (item.kind != null) {
                counts.merge(item.kind, 1, Integer::sum);
            }
        }
        return counts;
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Size of the broadcast that goes first when there is room (least transmitted, then largest); 0 when empty. */
    int firstSize() {
        return queue.isEmpty() ? 0 : queue.first().size;
    }

    private void remove(Item item) {
        queue.remove(item);
        bytes -= item.message.length;
        if (item.name != null) {
            byName.remove(item.name, item);
        }
    }

    private static void finished(Item item, List<Object> done) {
        if (item.doneToken != null) {
            done.add(item.doneToken);
        }
    }
}
