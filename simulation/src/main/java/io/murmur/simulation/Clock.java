package io.murmur.simulation;

import java.util.PriorityQueue;

/** Virtual time: a priority queue of events, run in time order (then in the order they were scheduled). */
final class Clock {
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private long fired;

    long now() {
        return now;
    }

    /** Schedules {@code e} at {@code time} (never in the past). */
    Event at(long time, Event e) {
        e.time = Math.max(time, now);
        e.seq = seq++;
        queue.add(e);
        return e;
    }

    Event after(long delay, Event e) {
        return at(now + delay, e);
    }

    /** Runs every event due up to and including {@code end}; the clock then reads {@code end}. */
    void runUntil(long end) {
        Event e;
        while ((e = queue.peek()) != null && e.time <= end) {
            queue.poll();
            now = e.time;
            if (!e.cancelled) {
                fired++;
                e.fire();
            }
        }
        now = Math.max(now, end);
    }

    long fired() {
        return fired;
    }

    int pending() {
        return queue.size();
    }
}
