package io.murmur.transport.memory;

import io.murmur.protocol.Address;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * What the {@link MemoryNetwork} does to one message on its way: whether a packet is lost (uniform and bursty loss),
 * whether it is duplicated, and how long each copy takes (latency, reordering, the sender's bandwidth cap, a slow
 * receiver). The simulator's {@code NetworkModel}, made thread-safe: every setting and every random draw is guarded
 * by this object's lock, and every draw comes from one generator seeded at construction.
 */
final class LinkFaults {

    private final Random random;
    private final MemoryNetwork.Stats stats;
    private PacketDelay latency = PacketDelay.none();
    private double loss;
    private double burstEnter;
    private double burstLeave = 1;
    private double burstLoss;
    private boolean inBurst;
    private double duplicate;
    private double reorder;
    private long reorderMaxNanos;
    private final Map<Address, Long> bytesPerSecond = new HashMap<>();
    private final Map<Address, Long> sendQueueFreeAt = new HashMap<>();
    private final Map<Address, Long> slowNanos = new HashMap<>();
    private final Map<Address, Long> busyUntil = new HashMap<>();

    LinkFaults(long seed, MemoryNetwork.Stats stats) {
        this.random = new Random(seed);
        this.stats = stats;
    }

    synchronized void loss(double p) {
        loss = p;
    }

    synchronized void bursts(double enter, double leave, double lossInBurst) {
        burstEnter = enter;
        burstLeave = leave;
        burstLoss = lossInBurst;
        inBurst &= enter > 0;
    }

    synchronized void duplicate(double p) {
        duplicate = p;
    }

    synchronized void reorder(double p, long maxExtraNanos) {
        reorder = p;
        reorderMaxNanos = maxExtraNanos;
    }

    synchronized void latency(PacketDelay delay) {
        latency = delay;
    }

    synchronized void bandwidth(Address node, long rate) {
        if (rate == 0) {
            bytesPerSecond.remove(node);
            sendQueueFreeAt.remove(node);
        } else {
            bytesPerSecond.put(node, rate);
        }
    }

    synchronized void slow(Address node, long perPacketNanos) {
        if (perPacketNanos == 0) {
            slowNanos.remove(node);
            busyUntil.remove(node);
        } else {
            slowNanos.put(node, perPacketNanos);
        }
    }

    /**
     * The fate of one packet of {@code bytes} sent now: null when it is lost, else the delay of each copy that will
     * arrive (one, or two when duplicated). The draws, in order: burst state, loss, latency and reordering of the
     * first copy, duplication, latency and reordering of the second.
     */
    synchronized long[] packet(Address from, Address to, int bytes, long now) {
        if (lost()) {
            stats.packetsLost.increment();
            return null;
        }
        long queued = sendQueue(from, bytes, now);
        long first = queued + packetDelay(from, to);
        if (duplicate > 0 && random.nextDouble() < duplicate) {
            stats.packetsDuplicated.increment();
            return new long[] {first, queued + packetDelay(from, to)};
        }
        return new long[] {first};
    }

    /** The delay of one leg of a reliable-path exchange: latency and the sender's bandwidth, never lost. */
    synchronized long exchange(Address from, Address to, int bytes, long now) {
        return sendQueue(from, bytes, now) + latency.nanos(from, to, random);
    }

    /** How long a packet that reaches {@code to} now waits for the node to get to it and through it (0 if not slow). */
    synchronized long processing(Address to, long now) {
        Long per = slowNanos.isEmpty() ? null : slowNanos.get(to);
        if (per == null) {
            return 0;
        }
        long done = Math.max(now, busyUntil.getOrDefault(to, now)) + per;
        busyUntil.put(to, done);
        return done - now;
    }

    /** Whether this packet is lost; steps the burst state first ({@code NetworkModel.lost}). */
    private boolean lost() {
        if (burstEnter > 0) {
            inBurst = inBurst ? random.nextDouble() >= burstLeave : random.nextDouble() < burstEnter;
            if (inBurst) {
                return random.nextDouble() < burstLoss;
            }
        }
        return loss > 0 && random.nextDouble() < loss;
    }

    private long packetDelay(Address from, Address to) {
        long d = latency.nanos(from, to, random);
        if (reorder > 0 && random.nextDouble() < reorder) {
            stats.packetsReordered.increment();
            d += random.nextLong(reorderMaxNanos + 1);
        }
        return d;
    }

    /** How long a message of {@code bytes} waits for the sender's capped link to carry it (0 without a cap). */
    private long sendQueue(Address from, int bytes, long now) {
        Long rate = bytesPerSecond.isEmpty() ? null : bytesPerSecond.get(from);
        if (rate == null) {
            return 0;
        }
        long start = Math.max(now, sendQueueFreeAt.getOrDefault(from, now));
        long done = start + bytes * 1_000_000_000L / rate;
        sendQueueFreeAt.put(from, done);
        return done - now;
    }
}
