package io.murmur.serf;

import io.murmur.protocol.Bytes;
import java.util.Set;

/** What the asker of a query hears, as it happens: acks, responses, then exactly one {@link Done}. */
public sealed interface QueryReply {

    /** The query could not be sent (too large, say); nothing follows. */
    record Rejected(String reason) implements QueryReply {}

    /** {@code from} received the query and passed its filters. */
    record Ack(String from) implements QueryReply {}

    /** {@code from}'s answer. */
    record Response(String from, Bytes payload) implements QueryReply {}

    /**
     * The query is over: every member expected to answer did ({@code timedOut} false), or the timeout ran out.
     * {@code expected} are the members that matched the filters when the query started (less those that failed or
     * left meanwhile); {@code missing} those of them that gave no response.
     */
    record Done(int expected, int acks, int responses, Set<String> missing, boolean timedOut) implements QueryReply {
        public Done {
            missing = Set.copyOf(missing);
        }
    }
}
