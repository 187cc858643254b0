package io.murmur.store.snapshot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a snapshot says: the members last known alive and the three Lamport clocks, and whether this node left.
 *
 * <p>{@code alive} follows only {@code alive}/{@code not-alive} records, in file order (a name moves to the end when
 * it comes back after a {@code not-alive}); a {@code leave} does not clear it. {@code leftCleanly} is true when a
 * {@code leave} was read and no {@code alive} after it. Serf wipes its rejoin list on a {@code leave} unless
 * {@code RejoinAfterLeave} is set; {@link #rejoinCandidates} gives that choice to the caller. Serf also zeroes the
 * clocks on a {@code leave}; here the clocks are always the last values written, and the caller may ignore them.
 *
 * @param alive member name to address ({@code host:port}), unmodifiable, in file order
 * @param clock the last member clock
 * @param eventClock the last user-event clock; Serf resumes with {@code eventMinTime = eventClock + 1}
 * @param queryClock the last query clock; Serf resumes with {@code queryMinTime = queryClock + 1}
 * @param leftCleanly whether the last word on membership was this node's own {@code leave}
 */
public record SnapshotState(
        Map<String, String> alive, long clock, long eventClock, long queryClock, boolean leftCleanly) {

    /** Nothing known: no members, clocks at zero. */
    public static final SnapshotState EMPTY = new SnapshotState(Map.of(), 0, 0, 0, false);

    public SnapshotState {
        Objects.requireNonNull(alive, "alive");
        alive = Collections.unmodifiableMap(new LinkedHashMap<>(alive));
    }

    /**
     * The members to try to rejoin through: none after a clean leave unless {@code rejoinAfterLeave}, else
     * {@link #alive}.
     */
    public Map<String, String> rejoinCandidates(boolean rejoinAfterLeave) {
        return leftCleanly && !rejoinAfterLeave ? Map.of() : alive;
    }
}
