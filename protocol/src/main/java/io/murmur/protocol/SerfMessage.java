package io.murmur.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The serf layer's messages. They travel inside membership {@link Message.UserMessage}s (broadcast or sent direct)
 * and, for {@link PushPull}, as the user state of a membership push/pull. The {@link SerfCodec} gives each a fixed
 * registration id; the set is only ever appended to. Lamport times are unsigned 64-bit values held in a {@code long}
 * and compared as unsigned only in theory: at one tick per message they never reach 2^63.
 */
public sealed interface SerfMessage
        permits SerfMessage.JoinIntent,
                SerfMessage.LeaveIntent,
                SerfMessage.UserEvent,
                SerfMessage.Query,
                SerfMessage.QueryResponse,
                SerfMessage.Relay,
                SerfMessage.PushPull {

    /** Query flag: the sender wants an ack as soon as the query passed this node's filters. */
    int QUERY_FLAG_ACK = 1;
    /** Query flag: do not re-broadcast (a direct copy, or a query meant for this node only). */
    int QUERY_FLAG_NO_BROADCAST = 2;
    /**
     * Query flag (Murmur's): a direct re-send from the asker to a member that has not answered yet; a member that has
     * already answered answers again, since the asker evidently lost the first answer.
     */
    int QUERY_FLAG_RETRY = 4;

    /** {@code node} is (again) a member as of member-clock time {@code ltime}. */
    record JoinIntent(long ltime, String node) implements SerfMessage {
        public JoinIntent {
            NodeInfo.checkName(node);
        }
    }

    /** {@code node} is leaving as of {@code ltime}; with {@code prune} it is to be forgotten at once. */
    record LeaveIntent(long ltime, String node, boolean prune) implements SerfMessage {
        public LeaveIntent {
            NodeInfo.checkName(node);
        }
    }

    /** A user event at event-clock time {@code ltime}; {@code coalesce} lets receivers coalesce it. */
    record UserEvent(long ltime, String name, Bytes payload, boolean coalesce) implements SerfMessage {
        public UserEvent {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** A tag filter: the member's tag {@code tag} must match the regular expression {@code expr} (unanchored). */
    record TagFilter(String tag, String expr) {
        public TagFilter {
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(expr, "expr");
        }
    }

    /**
     * A query at query-clock time {@code ltime}, answered to {@code source}. Filters are ANDed: the node's name must
     * be one of {@code filterNodes} (when not empty) and every tag filter must match.
     */
    record Query(
            long ltime,
            int id,
            Address source,
            String sourceNode,
            List<String> filterNodes,
            List<TagFilter> filterTags,
            int flags,
            int relayFactor,
            long timeoutNanos,
            String name,
            Bytes payload)
            implements SerfMessage {
        public Query {
            Objects.requireNonNull(source, "source");
            NodeInfo.checkName(sourceNode);
            filterNodes = List.copyOf(filterNodes);
            filterTags = List.copyOf(filterTags);
            if (relayFactor < 0 || relayFactor > 255) {
                throw new IllegalArgumentException("relay factor out of range: " + relayFactor);
            }
            if (timeoutNanos <= 0) {
                throw new IllegalArgumentException("a query needs a positive timeout");
            }
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(payload, "payload");
        }

        public boolean wantsAck() {
            return (flags & QUERY_FLAG_ACK) != 0;
        }

        public boolean noBroadcast() {
            return (flags & QUERY_FLAG_NO_BROADCAST) != 0;
        }

        public boolean isRetry() {
            return (flags & QUERY_FLAG_RETRY) != 0;
        }

        public Query withFlags(int newFlags) {
            return new Query(
                    ltime,
                    id,
                    source,
                    sourceNode,
                    filterNodes,
                    filterTags,
                    newFlags,
                    relayFactor,
                    timeoutNanos,
                    name,
                    payload);
        }
    }

    /** {@code from}'s ack ({@link #QUERY_FLAG_ACK} set, no payload) or response to query {@code (ltime, id)}. */
    record QueryResponse(long ltime, int id, String from, int flags, Bytes payload) implements SerfMessage {
        public QueryResponse {
            NodeInfo.checkName(from);
            Objects.requireNonNull(payload, "payload");
        }

        public boolean isAck() {
            return (flags & QUERY_FLAG_ACK) != 0;
        }
    }

    /** Forward {@code inner} (an encoded serf message) to {@code destination}: query responses take extra paths. */
    record Relay(Address destination, String destinationNode, Bytes inner) implements SerfMessage {
        public Relay {
            Objects.requireNonNull(destination, "destination");
            NodeInfo.checkName(destinationNode);
            Objects.requireNonNull(inner, "inner");
        }
    }

    /** The user events of one event-clock time. */
    record EventBucket(long ltime, List<UserEvent> events) {
        public EventBucket {
            events = List.copyOf(events);
        }
    }

    /**
     * The serf layer's part of a push/pull: the member clock and each member's last intent time, the members that
     * left, the recent user events, and the event and query clocks.
     */
    record PushPull(
            long ltime,
            Map<String, Long> statusLTimes,
            List<String> leftMembers,
            long eventLTime,
            List<EventBucket> events,
            long queryLTime)
            implements SerfMessage {
        public PushPull {
            statusLTimes = Map.copyOf(statusLTimes);
            leftMembers = List.copyOf(leftMembers);
            events = List.copyOf(events);
        }
    }
}
