package io.murmur.agent.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.murmur.agent.rpc.AgentSerf;
import io.murmur.agent.rpc.ForwardingAgentSerf;
import io.murmur.serf.QueryParams;
import io.murmur.serf.QueryReply;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An {@link AgentSerf} that counts what this agent sends: user events and queries fired through it, and the acks and
 * responses its queries get. The serf node reports only what it receives, so the agent counts the outbound side here,
 * into the registry that {@code GET /metrics} shows.
 */
public final class CountingAgentSerf extends ForwardingAgentSerf {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter eventsSent;
    private final Counter queriesSent;
    private final Counter queryAcks;
    private final Counter queryResponses;

    public CountingAgentSerf(AgentSerf serf) {
        super(serf);
        this.eventsSent = Counter.builder("serf.events.sent")
                .description("User events this agent fired")
                .register(registry);
        this.queriesSent = Counter.builder("serf.queries.sent")
                .description("Queries this agent asked")
                .register(registry);
        this.queryAcks = Counter.builder("serf.query.acks")
                .description("Acks received for this agent's queries")
                .register(registry);
        this.queryResponses = Counter.builder("serf.query.responses")
                .description("Responses received for this agent's queries")
                .register(registry);
    }

    /** The agent's metrics registry: these counters, and the rest once the HTTP server runs. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public Optional<String> userEvent(String name, byte[] payload, boolean coalesce) {
        Optional<String> error = delegate.userEvent(name, payload, coalesce);
        if (error.isEmpty()) {
            eventsSent.increment();
        }
        return error;
    }

    @Override
    public Optional<String> query(String name, byte[] payload, QueryParams params, Consumer<QueryReply> replies) {
        Optional<String> error = delegate.query(name, payload, params, reply -> {
            if (reply instanceof QueryReply.Ack) {
                queryAcks.increment();
            } else if (reply instanceof QueryReply.Response) {
                queryResponses.increment();
            }
            replies.accept(reply);
        });
        if (error.isEmpty()) {
            queriesSent.increment();
        }
        return error;
    }
}
