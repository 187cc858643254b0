package io.murmur.simulation;

/**
 * When the node actors' timers really fire: Pekko's default scheduler (the {@code LightArrayRevolverScheduler}, a
 * timer wheel with {@code pekko.scheduler.tick-duration = 10ms}) wakes once per tick. A timer set between two ticks is
 * picked up at the next tick, its delay rounded up to whole ticks, and it runs one tick after that: a timer of
 * {@code d} set at {@code s} fires at {@code P + ceil(d / tick) * tick + tick}, {@code P} being the first tick after
 * {@code s}. A timer re-armed as its actor handles the last one (the gossip round, the probe) is set just after a
 * tick, so it is about two ticks late: measured, 100 ms timers fired 19-20 ms late (p10 10-16 ms, p50 20 ms) idle and
 * during joins, and the gossip rounds of the real nodes were 120 ms apart, not 100 (docs/benchmarks.md, "Simulator
 * fidelity").
 *
 * <p>All nodes share one wheel (one actor system), whose first tick is at time 0. Deterministic.
 *
 * @param tickNanos the wheel's tick; 0 fires every timer on time (the default)
 */
public record TimerTicks(long tickNanos) {

    /** Pekko's default: a 10 ms tick. */
    public static final TimerTicks PEKKO_DEFAULT = new TimerTicks(10_000_000);

    public TimerTicks {
        if (tickNanos < 0) {
            throw new IllegalArgumentException("tick < 0");
        }
    }

    /** How long after {@code now} a timer of {@code delayNanos} set at {@code now} fires. */
    long delay(long now, long delayNanos) {
        if (tickNanos == 0 || delayNanos <= 0) {
            return delayNanos; // Pekko runs a timer of no delay at once
        }
        long pickedUp = (now / tickNanos + 1) * tickNanos;
        long rounded = (delayNanos + tickNanos - 1) / tickNanos * tickNanos;
        return pickedUp + rounded + tickNanos - now;
    }
}
