package io.murmur.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.MembershipConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Timers on a scheduler's ticks fire when Pekko's timer wheel fires them; without ticks, on time. */
class TimerTicksTest {

    private static final long MS = 1_000_000;

    @Test
    void aTimerIsPickedUpAtTheNextTickRoundedUpAndRunOneTickLater() {
        TimerTicks ticks = new TimerTicks(10 * MS);
        assertEquals(120 * MS - MS, ticks.delay(1 * MS, 100 * MS), "set just after a tick: about two ticks late");
        assertEquals(120 * MS - 9 * MS, ticks.delay(9 * MS, 100 * MS), "set just before a tick: about one late");
        assertEquals(120 * MS - 5 * MS, ticks.delay(5 * MS, 95 * MS), "the delay is rounded up to whole ticks");
        assertEquals(0, ticks.delay(5 * MS, 0), "no delay runs at once");
        assertEquals(100 * MS, new TimerTicks(0).delay(5 * MS, 100 * MS), "no ticks: on time");
        assertThrows(IllegalArgumentException.class, () -> new TimerTicks(-1));
    }

    @Test
    void lateTimersReplayExactlyAndSlowAJoinDown() {
        double onTime = 0;
        double ticked = 0;
        for (long seed = 1; seed <= 3; seed++) {
            onTime += join(null).run(seed, null).convergeSeconds();
            RunResult a = join(TimerTicks.PEKKO_DEFAULT).run(seed, null);
            assertEquals(
                    a.traceHash(),
                    join(TimerTicks.PEKKO_DEFAULT).run(seed, null).traceHash());
            ticked += a.convergeSeconds();
        }
        assertTrue(ticked > onTime, ticked + " vs " + onTime);
    }

    private static Scenario join(TimerTicks ticks) {
        return Scenario.join(20, Duration.ofSeconds(5))
                .config(MembershipConfig.local())
                .timerTicks(ticks);
    }
}
