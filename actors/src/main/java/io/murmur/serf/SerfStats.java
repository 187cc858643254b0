package io.murmur.serf;

import io.murmur.protocol.Rejection;
import java.util.EnumMap;
import java.util.Map;

/**
 * A serf node's counters.
 *
 * @param dropped serf messages dropped, by reason
 * @param relayed query responses forwarded for other members
 * @param queriesInFlight queries this node asked that are not done yet
 * @param duplicateEvents user events that arrived again
 * @param duplicateQueryMessages queries and responses that arrived again
 */
public record SerfStats(
        Map<Rejection, Long> dropped,
        long relayed,
        int queriesInFlight,
        long duplicateEvents,
        long duplicateQueryMessages) {

    public SerfStats {
        dropped = Map.copyOf(dropped);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The live counters one serf actor keeps. */
    static final class Counters {
        final Map<Rejection, Long> dropped = new EnumMap<>(Rejection.class);
        long relayed;

        void drop(Rejection reason) {
            dropped.merge(reason, 1L, Long::sum);
        }

        SerfStats snapshot(int queriesInFlight, long duplicateEvents, long duplicateQueryMessages) {
            return new SerfStats(dropped, relayed, queriesInFlight, duplicateEvents, duplicateQueryMessages);
        }
    }
}
