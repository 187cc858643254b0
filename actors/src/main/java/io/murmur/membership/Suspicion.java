package io.murmur.membership;

import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Lifeguard's suspicion of one member: the timeout starts at {@code max} and shrinks towards {@code min} as
 * independent members confirm the suspicion, so that a real failure is declared sooner while a lone, possibly
 * unhealthy accuser has to wait the longest (Lifeguard §IV-B; memberlist {@code suspicion.go}).
 *
 * <p>With n confirmations out of k needed, the timeout is {@code max(min, max - (max - min) * ln(n + 1) / ln(k + 1))},
 * in whole milliseconds. The original accuser does not count as a confirmation, and nobody counts twice.
 */
public final class Suspicion {

    private final Set<String> confirmations = new HashSet<>();
    private final int k;
    private final long minNanos;
    private final long maxNanos;
    private final long startNanos;
    private int n;

    /**
     * @param from the member whose suspicion started this
     * @param k confirmations that bring the timeout down to {@code min}; below 1 the timeout is {@code min} at once
     */
    public Suspicion(String from, int k, long minNanos, long maxNanos, long startNanos) {
        if (minNanos < 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("need 0 <= min <= max");
        }
        this.k = k;
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.startNanos = startNanos;
        confirmations.add(from);
    }

    /** Time left until the member is declared dead, never negative. */
    public long remaining(long now) {
        return Math.max(0, timeout(n, k, minNanos, maxNanos) - (now - startNanos));
    }

    /**
     * Records that {@code from} suspects the member too. Returns the new remaining time when the confirmation is new
     * and counts (so the timer must be reset and the suspicion re-gossiped), empty otherwise.
     */
    public OptionalLong confirm(String from, long now) {
        if (n >= k || !confirmations.add(from)) {
            return OptionalLong.empty();
        }
        n++;
        return OptionalLong.of(remaining(now));
    }

    public int confirmations() {
        return n;
    }

    public int needed() {
        return k;
    }

    /** The total suspicion timeout after {@code n} of {@code k} confirmations. */
    public static long timeout(int n, int k, long minNanos, long maxNanos) {
        if (k < 1) {
            return minNanos;
        }
        double frac = Math.log(n + 1.0) / Math.log(k + 1.0);
        double raw = maxNanos - frac * (maxNanos - minNanos);
        long millis = (long) Math.floor(raw / 1_000_000.0);
        return Math.max(minNanos, millis * 1_000_000L);
    }
}
