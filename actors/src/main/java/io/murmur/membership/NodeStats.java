package io.murmur.membership;

import io.murmur.protocol.Rejection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one node's inbound traffic, safe to read from any thread. */
public final class NodeStats {

    private final Map<Rejection, LongAdder> dropped = new EnumMap<>(Rejection.class);
    /** Messages accepted (each part of a compound counts). */
    public final LongAdder messagesReceived = new LongAdder();
    /** Reliable-path requests refused because too many were already being served. */
    public final LongAdder requestsRefused = new LongAdder();

    public NodeStats() {
        for (Rejection r : Rejection.values()) {
            dropped.put(r, new LongAdder());
        }
    }

    void dropped(Rejection reason) {
        dropped.get(reason).increment();
    }

    /** Inbound packets dropped for {@code reason}. */
    public long droppedFor(Rejection reason) {
        return dropped.get(reason).sum();
    }

    /** Drops so far, by reason. */
    public Map<Rejection, Long> drops() {
        Map<Rejection, Long> out = new EnumMap<>(Rejection.class);
        dropped.forEach((r, n) -> out.put(r, n.sum()));
        return out;
    }

    public long totalDropped() {
        return dropped.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
