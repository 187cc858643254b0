package io.murmur.serf;

import io.murmur.protocol.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serf's internal queries, names starting with {@code _serf_}: answered by the serf layer itself and never delivered
 * to the application. {@code _serf_ping} (reachability) answers with nothing; {@code _serf_conflict} answers with the
 * address this node knows for the name in the payload, so that a node whose name is claimed from another address can
 * learn which of the two the cluster's majority knows.
 */
final class InternalQueries {
    private InternalQueries() {}

    static final String PREFIX = "_serf_";
    static final String PING = PREFIX + "ping";
    static final String CONFLICT = PREFIX + "conflict";

    static boolean isInternal(String name) {
        return name.startsWith(PREFIX);
    }

    /** This node's answer to an internal query; empty when it gives none (an unknown internal query). */
    static Optional<Bytes> answer(SerfEvent.Query query, SerfMembers members) {
        if (query.name().equals(PING)) {
            return Optional.of(Bytes.EMPTY);
        }
        if (query.name().equals(CONFLICT)) {
            SerfMember m = members.get(new String(query.payload().toArray(), StandardCharsets.UTF_8));
            return Optional.of(m == null ? Bytes.EMPTY : Bytes.utf8(m.address().toString()));
        }
        return Optional.empty();
    }
}
