package io.murmur.protocol;

/**
 * A Lamport clock as Serf keeps three of them (member intents, user events, queries). It starts at 1;
 * {@link #increment} returns the time to stamp a new message with; {@link #witness} moves the clock past a time seen
 * in a message (to {@code seen + 1} when {@code seen >= time()}), so a later local message orders after it.
 *
 * <p>Not thread-safe: one actor owns each clock.
 */
public final class LamportClock {

    private long time = 1;

    public LamportClock() {}

    public LamportClock(long time) {
        if (time < 0) {
            throw new IllegalArgumentException("a Lamport time is never negative: " + time);
        }
        this.time = time;
    }

    public long time() {
        return time;
    }

    /** Moves the clock on and returns the new time. */
    public long increment() {
        return ++time;
    }

    /** Takes note of a time seen elsewhere; returns true when the clock moved. */
    public boolean witness(long seen) {
        if (seen < time) {
            return false;
        }
        time = seen + 1;
        return true;
    }
}
