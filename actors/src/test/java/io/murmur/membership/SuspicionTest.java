package io.murmur.membership;

import static io.murmur.membership.CoreFixtures.MS;
import static io.murmur.membership.CoreFixtures.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lifeguard's suspicion timeout (memberlist {@code suspicion.go}). */
class SuspicionTest {

    private static final long START = 100 * SECOND;

    /** LAN at N=10: min 4 s, max 24 s, k = 2. */
    private static Suspicion lan10() {
        return new Suspicion("accuser", 2, 4 * SECOND, 24 * SECOND, START);
    }

    @Test
    void timeoutStartsAtMaxWithoutConfirmations() {
        Suspicion s = lan10();
        assertEquals(24 * SECOND, s.remaining(START));
        assertEquals(0, s.confirmations());
        assertEquals(2, s.needed());
    }

    @Test
    void remainingCountsDownWithElapsedTime() {
        Suspicion s = lan10();
        assertEquals(14 * SECOND, s.remaining(START + 10 * SECOND));
    }

    /** Reference §1.2 derived table: LAN t(0 confirmations) / t(1 confirmation). */
    @ParameterizedTest(name = "N={0}: {3}s / {4}s")
    @CsvSource({
        "10, 4, 24, 24.0, 11.4",
        "100, 8, 48, 48.0, 22.8",
        "1000, 12, 72, 72.0, 34.1",
        "10000, 16, 96, 96.0, 45.5",
    })
    void suspicionTimeoutShrinksLogarithmicallyWithConfirmations(
            int n, long minSeconds, long maxSeconds, double t0, double t1) {
        long min = MemberTable.suspicionTimeout(4, n, SECOND);
        long max = 6 * min;
        assertEquals(minSeconds * SECOND, min);
        assertEquals(maxSeconds * SECOND, max);

        assertEquals(t0, Suspicion.timeout(0, 2, min, max) / 1e9, 0.05);
        assertEquals(t1, Suspicion.timeout(1, 2, min, max) / 1e9, 0.05);
        assertEquals(min, Suspicion.timeout(2, 2, min, max), "k confirmations bring it down to the minimum");
    }

    @Test
    void timeoutIsMaxMinusLogFractionOfTheRangeInWholeMilliseconds() {
        // 24 - 20 * ln(2) / ln(3) = 11.381... s
        assertEquals(11_381 * MS, Suspicion.timeout(1, 2, 4 * SECOND, 24 * SECOND));
        // WAN-like k = 4: each confirmation takes a shrinking bite.
        long previous = Long.MAX_VALUE;
        for (int n = 0; n <= 4; n++) {
            long t = Suspicion.timeout(n, 4, 30 * SECOND, 180 * SECOND);
            double expected = 180 - 150 * Math.log(n + 1.0) / Math.log(5.0);
            assertEquals(expected, t / 1e9, 0.001, "n=" + n);
            assertTrue(t < previous, "strictly shrinking at n=" + n);
            assertEquals(0, t % MS, "whole milliseconds");
            previous = t;
        }
    }

    @Test
    void timeoutNeverGoesBelowMin() {
        assertEquals(4 * SECOND, Suspicion.timeout(5, 2, 4 * SECOND, 24 * SECOND));
        assertEquals(7 * SECOND, Suspicion.timeout(1, 1, 7 * SECOND, 7 * SECOND));
    }

    @Test
    void confirmationShortensTheTimeoutAndReportsWhatRemains() {
        Suspicion s = lan10();
        OptionalLong remaining = s.confirm("b", START + 5 * SECOND);
        assertEquals(OptionalLong.of(11_381 * MS - 5 * SECOND), remaining);
        assertEquals(1, s.confirmations());
        assertEquals(11_381 * MS - 6 * SECOND, s.remaining(START + 6 * SECOND));
    }

    @Test
    void originalAccuserDoesNotCount() {
        Suspicion s = lan10();
        assertEquals(OptionalLong.empty(), s.confirm("accuser", START + SECOND));
        assertEquals(0, s.confirmations());
        assertEquals(23 * SECOND, s.remaining(START + SECOND));
    }

    @Test
    void duplicateConfirmationsDoNotCount() {
        Suspicion s = lan10();
        assertTrue(s.confirm("b", START).isPresent());
        assertEquals(OptionalLong.empty(), s.confirm("b", START + SECOND));
        assertEquals(1, s.confirmations());
    }

    @Test
    void noMoreThanKConfirmationsCount() {
        Suspicion s = lan10();
        assertTrue(s.confirm("b", START).isPresent());
        assertEquals(OptionalLong.of(4 * SECOND - SECOND), s.confirm("c", START + SECOND));
        assertEquals(OptionalLong.empty(), s.confirm("d", START + SECOND));
        assertEquals(2, s.confirmations());
        assertEquals(3 * SECOND, s.remaining(START + SECOND));
    }

    @Test
    void kBelowOneUsesMinAtOnce() {
        for (int k : new int[] {0, -1}) {
            Suspicion s = new Suspicion("accuser", k, 4 * SECOND, 24 * SECOND, START);
            assertEquals(4 * SECOND, s.remaining(START), "k=" + k);
            assertEquals(OptionalLong.empty(), s.confirm("b", START), "no confirmation can count, k=" + k);
            assertEquals(4 * SECOND, Suspicion.timeout(0, k, 4 * SECOND, 24 * SECOND));
        }
    }

    @Test
    void remainingIsNeverNegative() {
        Suspicion s = lan10();
        assertEquals(0, s.remaining(START + 24 * SECOND));
        assertEquals(0, s.remaining(START + 1_000 * SECOND));
        assertEquals(OptionalLong.of(0), s.confirm("b", START + 1_000 * SECOND), "a late confirmation fires at once");
    }

    @Test
    void rejectsInconsistentBounds() {
        assertThrows(IllegalArgumentException.class, () -> new Suspicion("a", 2, 5 * SECOND, 4 * SECOND, 0));
        assertThrows(IllegalArgumentException.class, () -> new Suspicion("a", 2, -1, 4 * SECOND, 0));
    }
}
