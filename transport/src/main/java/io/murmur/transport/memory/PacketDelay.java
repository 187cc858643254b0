package io.murmur.transport.memory;

import io.murmur.protocol.Address;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The one-way delay of one message from {@code from} to {@code to} on a {@link MemoryNetwork}, drawn for each packet
 * (and each leg of a reliable-path exchange) from the network's seeded generator. The same shapes as the simulator's
 * latency model: constant, uniform, a base with an exponential tail, or any function of the two addresses.
 *
 * <p>Called under the network's lock: it must be quick and must not call back into the network.
 */
@FunctionalInterface
public interface PacketDelay {

    /** The delay in nanoseconds; zero or less delivers at once, on the sender's thread. */
    long nanos(Address from, Address to, RandomGenerator random);

    /** No delay: every delivery happens on the sender's thread, during the send. */
    static PacketDelay none() {
        return (from, to, random) -> 0;
    }

    /** Always {@code delay}. */
    static PacketDelay constant(Duration delay) {
        long nanos = notNegative(delay, "delay");
        return (from, to, random) -> nanos;
    }

    /** Uniform within {@code [min, max]}. */
    static PacketDelay uniform(Duration min, Duration max) {
        long lo = notNegative(min, "min");
        long hi = notNegative(max, "max");
        if (hi < lo) {
            throw new IllegalArgumentException("max < min");
        }
        long span = hi - lo;
        return (from, to, random) -> span == 0 ? lo : lo + random.nextLong(span + 1);
    }

    /**
     * {@code base} plus an exponentially distributed tail of mean {@code tailMean}: most packets arrive quickly, a few
     * late, as on a busy network.
     */
    static PacketDelay exponentialTail(Duration base, Duration tailMean) {
        long b = notNegative(base, "base");
        long mean = notNegative(tailMean, "tailMean");
        return (from, to, random) -> b + (long) (-Math.log(1 - random.nextDouble()) * mean);
    }

    private static long notNegative(Duration d, String what) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        return d.toNanos();
    }
}
