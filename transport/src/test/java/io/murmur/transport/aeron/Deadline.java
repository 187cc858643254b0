package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it until a deadline, parking about a millisecond between polls (spinning would
 * take a core from the driver and poller threads the condition depends on); never sleeps a fixed time.
 */
final class Deadline {

    private Deadline() {}

    /** Returns once {@code condition} holds; fails the test with {@code what} when it does not within {@code max}. */
    static void await(Duration max, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + max + ": " + what.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    static void await(Duration max, BooleanSupplier condition, String what) {
        await(max, condition, () -> what);
    }
}
