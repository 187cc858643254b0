package io.murmur.membership;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs at most one line per period, so that a flood of bad packets cannot flood the log. */
final class RateLimitedLog {
    private final Logger log;
    private final long periodNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, long periodNanos) {
        this.log = log;
        this.periodNanos = periodNanos;
    }

    void warn(String format, Object... args) {
        long now = System.nanoTime();
        long due = next.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + periodNanos)) {
            long skipped = suppressed.getAndSet(0);
            log.warn(format + (skipped > 0 ? " (" + skipped + " similar suppressed)" : ""), args);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
