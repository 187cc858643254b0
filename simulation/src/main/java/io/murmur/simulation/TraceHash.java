package io.murmur.simulation;

/**
 * A running 64-bit hash of everything a simulation did, event by event. Two runs of the same scenario from the same
 * seed must end with the same hash; a different hash means the run is not reproducible (or the protocol changed).
 */
final class TraceHash {
    private long h = 0x9E3779B97F4A7C15L;
    private long events;

    void add(long time, int node, int kind, long detail) {
        h = mix(h ^ time);
        h = mix(h ^ ((long) node << 32 | (kind & 0xFFFFFFFFL)));
        h = mix(h ^ detail);
        events++;
    }

    long value() {
        return h;
    }

    long events() {
        return events;
    }

    /** The 64-bit finalizer of SplitMix64. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    String hex() {
        return String.format("%016x", h);
    }
}
