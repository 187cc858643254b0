package io.murmur.simulation;

/** Something that happens at a point of virtual time. Ties are broken by scheduling order, so runs are exact. */
abstract class Event implements Comparable<Event> {
    long time;
    long seq;
    boolean cancelled;

    abstract void fire();

    void cancel() {
        cancelled = true;
    }

    @Override
    public int compareTo(Event o) {
        int c = Long.compare(time, o.time);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }

    /** An event that runs a piece of code. */
    static Event of(Runnable action) {
        return new Event() {
            @Override
            void fire() {
                action.run();
            }
        };
    }
}
