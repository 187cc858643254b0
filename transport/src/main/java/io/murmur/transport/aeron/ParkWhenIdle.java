package io.murmur.transport.aeron;

import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/**
 * The idle strategy of the driver's and the poller's threads: after a duty cycle that did work, the next one runs at
 * once; after one that found nothing, the thread parks, for the shortest park first and twice as long at each idle
 * cycle after that, up to the longest. It never spins or yields.
 *
 * <p>Agrona's {@code BackoffIdleStrategy} with no spins and no yields still passes through its spinning and yielding
 * states: three idle cycles return at once before its first park. A duty cycle of the driver walks every publication
 * and every image, and with a few hundred open streams each heartbeating every 100 ms nearly every wake finds a
 * heartbeat to send, so each heartbeat cost four walks of every stream where two suffice (one that did the work, one
 * that found nothing). A burst is drained as fast as before: cycles that find work follow each other without a park
 * (the driver reads one datagram per socket per cycle, so a backlog needs one cycle per datagram).
 */
final class ParkWhenIdle implements IdleStrategy {

    private final long minParkNanos;
    private final long maxParkNanos;
    private long parkNanos;

    ParkWhenIdle(long minParkNanos, long maxParkNanos) {
        if (minParkNanos <= 0 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("need 0 < minPark <= maxPark: " + minParkNanos + ", " + maxParkNanos);
        }
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            parkNanos = minParkNanos;
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        LockSupport.parkNanos(parkNanos);
        parkNanos = Math.min(parkNanos << 1, maxParkNanos);
    }

    @Override
    public void reset() {
        parkNanos = minParkNanos;
    }

    /** The park that the next idle cycle takes. */
    long nextParkNanos() {
        return parkNanos;
    }

    @Override
    public String alias() {
        return "park-when-idle";
    }
}
