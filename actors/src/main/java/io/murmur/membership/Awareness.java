package io.murmur.membership;

/**
 * Lifeguard's local health awareness (§IV-A; memberlist {@code awareness.go}): a score from 0 (healthy) to
 * {@code max - 1} that rises when this node's own probes go unanswered without nacks (a sign that the problem is
 * here, not there) and when it has to refute a suspicion of itself, and falls with each successful probe. Timeouts
 * are stretched by {@code score + 1}, so a struggling node slows down instead of accusing healthy peers.
 */
public final class Awareness {

    private final int max;
    private int score;

    public Awareness(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        this.max = max;
    }

    /** Adds {@code delta} and clamps the score to {@code [0, max - 1]}; returns the new score. */
    public int apply(int delta) {
        score = Math.max(0, Math.min(max - 1, score + delta));
        return score;
    }

    public int score() {
        return score;
    }

    /** {@code timeout * (score + 1)}. */
    public long scale(long timeoutNanos) {
        return timeoutNanos * (score + 1);
    }
}
