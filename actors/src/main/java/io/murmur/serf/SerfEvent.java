package io.murmur.serf;

import io.murmur.protocol.Bytes;
import java.util.List;
import java.util.Objects;

/** What the serf layer tells an application: member events (possibly coalesced), user events and queries. */
public sealed interface SerfEvent permits SerfEvent.Members, SerfEvent.User, SerfEvent.Query {

    /** Serf's event types, with the names event handlers filter on. */
    enum Type {
        MEMBER_JOIN("member-join"),
        MEMBER_LEAVE("member-leave"),
        MEMBER_FAILED("member-failed"),
        MEMBER_UPDATE("member-update"),
        MEMBER_REAP("member-reap"),
        USER("user"),
        QUERY("query");

        private final String serfName;

        Type(String serfName) {
            this.serfName = serfName;
        }

        /** {@code member-join}, {@code user}, ... */
        public String serfName() {
            return serfName;
        }

        public boolean isMemberEvent() {
            return this != USER && this != QUERY;
        }
    }

    Type type();

    /** One kind of member change for one or more members (several after coalescing). */
    record Members(Type type, List<SerfMember> members) implements SerfEvent {
        public Members {
            if (!type.isMemberEvent()) {
                throw new IllegalArgumentException("not a member event type: " + type);
            }
            members = List.copyOf(members);
        }
    }

    /**
     * A user event: {@code ltime} is its event-clock time; {@code coalesce} lets a coalescer keep only the newest
     * events of a name.
     */
    record User(long ltime, String name, Bytes payload, boolean coalesce) implements SerfEvent {
        public User {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public Type type() {
            return Type.USER;
        }
    }

    /**
     * A query this node should answer (at most once, before {@code deadlineNanos} on the node's monotonic clock) with
     * {@code Serf.Respond}. {@code id} and {@code ltime} identify it within the cluster.
     */
    record Query(long ltime, int id, String name, Bytes payload, String sourceNode, long deadlineNanos)
            implements SerfEvent {
        public Query {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(sourceNode, "sourceNode");
        }

        @Override
        public Type type() {
            return Type.QUERY;
        }
    }
}
