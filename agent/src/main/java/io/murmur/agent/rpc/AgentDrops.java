package io.murmur.agent.rpc;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the agent itself threw away because a consumer fell behind, by where it happened: counted from any thread,
 * read by {@code /metrics} ({@code murmur_agent_dropped_total{where=...}}). The node's own drops are counted by the
 * node.
 */
public final class AgentDrops {

    /** Where something was dropped. */
    public enum Where {
        /** Events for the handler scripts beyond their queue's bound. */
        EVENT_HANDLERS,
        /** Event records of an RPC {@code stream} beyond its client's backlog. */
        RPC_STREAM,
        /** Log lines of an RPC {@code monitor} beyond its client's backlog. */
        RPC_MONITOR,
        /** Ack, response and done records of an RPC {@code query} beyond its client's backlog. */
        RPC_QUERY;

        /** The metric's tag value: {@code event_handlers}, {@code rpc_stream}, ... */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Where, LongAdder> counts = new EnumMap<>(Where.class);

    public AgentDrops() {
        for (Where w : Where.values()) {
            counts.put(w, new LongAdder());
        }
    }

    public void dropped(Where where) {
        counts.get(where).increment();
    }

    public long count(Where where) {
        return counts.get(where).sum();
    }
}
