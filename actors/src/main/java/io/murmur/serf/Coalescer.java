package io.murmur.serf;

import java.util.List;

/**
 * A pure coalescing rule (Serf's {@code coalescer}): it takes the events it {@link #handles handles}, keeps what
 * matters of them and gives the condensed result back on {@link #flush}. It reads no clock and owns no thread; when to
 * flush is decided by whoever drives it ({@link CoalescingFlow}).
 */
public interface Coalescer {

    /** Whether this rule coalesces {@code event}; events it does not handle pass by it untouched. */
    boolean handles(SerfEvent event);

    /**
     * Takes a handled event into the pending state.
     *
     * @throws IllegalArgumentException if {@link #handles} is false for {@code event}
     */
    void add(SerfEvent event);

    /** The condensed events of everything added since the last flush (possibly none), and an empty pending state. */
    List<SerfEvent> flush();

    /** True when nothing was added since the last flush. */
    boolean isEmpty();
}
