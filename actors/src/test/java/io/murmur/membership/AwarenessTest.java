package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Lifeguard local health awareness (memberlist {@code awareness.go}). */
class AwarenessTest {

    @Test
    void startsHealthy() {
        Awareness a = new Awareness(8);
        assertEquals(0, a.score());
        assertEquals(500, a.scale(500));
    }

    @Test
    void applyAddsAndReturnsTheNewScore() {
        Awareness a = new Awareness(8);
        assertEquals(3, a.apply(3));
        assertEquals(2, a.apply(-1));
        assertEquals(2, a.apply(0));
        assertEquals(2, a.score());
    }

    @Test
    void scoreIsClampedToMaxMinusOne() {
        Awareness a = new Awareness(8);
        assertEquals(7, a.apply(100));
        assertEquals(7, a.apply(1));
        assertEquals(6, a.apply(-1), "clamped, not accumulated beyond the top");
    }

    @Test
    void scoreIsClampedAtZero() {
        Awareness a = new Awareness(8);
        assertEquals(0, a.apply(-5));
        assertEquals(1, a.apply(1), "clamped, not accumulated below zero");
    }

    @Test
    void timeoutIsScaledByScorePlusOne() {
        Awareness a = new Awareness(8);
        a.apply(3);
        assertEquals(4_000_000_000L, a.scale(1_000_000_000L));
        a.apply(100);
        assertEquals(8_000_000_000L, a.scale(1_000_000_000L), "memberlist's cap: 8x the probe interval");
    }

    @Test
    void maxOfOneKeepsTheScoreAtZero() {
        Awareness a = new Awareness(1);
        assertEquals(0, a.apply(5));
        assertEquals(10, a.scale(10));
    }

    @Test
    void rejectsMaxBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new Awareness(0));
    }
}
