package io.murmur.serf;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to run a query (Serf's {@code QueryParam}): which members should answer — those named in {@code filterNodes}
 * (all when empty) whose tags match every regular expression in {@code filterTags} (unanchored, as Serf matches) —,
 * whether they ack on receipt, how many extra members relay each response, and the timeout (zero: Serf's default,
 * {@code gossip-interval * query-timeout-mult * ceil(log10(N + 1))}).
 */
public record QueryParams(
        List<String> filterNodes,
        Map<String, String> filterTags,
        boolean requestAck,
        int relayFactor,
        Duration timeout) {

    public QueryParams {
        filterNodes = List.copyOf(filterNodes);
        filterTags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(filterTags));
        if (relayFactor < 0 || relayFactor > 5) {
            throw new IllegalArgumentException("relay factor must be within 0..5, was " + relayFactor);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative query timeout");
        }
    }

    /** Every member answers; no acks, no relays, the default timeout. */
    public static QueryParams all() {
        return new QueryParams(List.of(), Map.of(), false, 0, Duration.ZERO);
    }

    public QueryParams withNodes(List<String> nodes) {
        return new QueryParams(nodes, filterTags, requestAck, relayFactor, timeout);
    }

    public QueryParams withTag(String tag, String regex) {
        Map<String, String> tags = new TreeMap<>(filterTags);
        tags.put(tag, regex);
        return new QueryParams(filterNodes, tags, requestAck, relayFactor, timeout);
    }

    public QueryParams withAck(boolean ack) {
        return new QueryParams(filterNodes, filterTags, ack, relayFactor, timeout);
    }

    public QueryParams withRelayFactor(int relays) {
        return new QueryParams(filterNodes, filterTags, requestAck, relays, timeout);
    }

    public QueryParams withTimeout(Duration newTimeout) {
        return new QueryParams(filterNodes, filterTags, requestAck, relayFactor, newTimeout);
    }
}
