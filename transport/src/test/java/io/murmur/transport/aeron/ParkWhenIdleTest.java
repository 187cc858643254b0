package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The driver's and the poller's idle strategy: no park after work, a park from the first idle cycle on. */
class ParkWhenIdleTest {

    private static final long MIN = TimeUnit.MICROSECONDS.toNanos(10);
    private static final long MAX = TimeUnit.MICROSECONDS.toNanos(80);

    @Test
    void everyIdleCycleParks_doublingUpToTheLongest() {
        ParkWhenIdle s = new ParkWhenIdle(MIN, MAX);
        assertEquals(MIN, s.nextParkNanos());
        s.idle(0);
        assertEquals(2 * MIN, s.nextParkNanos(), "the very first idle cycle parked");
        s.idle(0);
        s.idle(0);
        assertEquals(MAX, s.nextParkNanos());
        s.idle(0);
        assertEquals(MAX, s.nextParkNanos(), "never beyond the longest park");
    }

    @Test
    void workStartsTheBackOffAgainFromTheShortestPark() {
        ParkWhenIdle s = new ParkWhenIdle(MIN, MAX);
        s.idle(0);
        s.idle(0);
        s.idle(0);
        s.idle(1);
        assertEquals(MIN, s.nextParkNanos());
        s.idle(0);
        assertEquals(2 * MIN, s.nextParkNanos());
        s.reset();
        assertEquals(MIN, s.nextParkNanos());
    }

    /** With parks of an hour, a cycle after work that parked would hang the test. */
    @Test
    @Timeout(30)
    void aCycleThatDidWorkDoesNotPark() {
        long hour = TimeUnit.HOURS.toNanos(1);
        ParkWhenIdle s = new ParkWhenIdle(hour, hour);
        for (int i = 0; i < 1_000; i++) {
            s.idle(1);
        }
        assertEquals(hour, s.nextParkNanos());
    }

    @Test
    void rejectsParksThatAreNotPositiveOrOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> new ParkWhenIdle(0, MAX));
        assertThrows(IllegalArgumentException.class, () -> new ParkWhenIdle(MAX, MIN));
    }
}
