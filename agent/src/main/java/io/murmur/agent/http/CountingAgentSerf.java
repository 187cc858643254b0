package io.murmur.agent.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.murmur.agent.rpc.AgentSerf;
import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import io.murmur.serf.KeyCommands;
import io.murmur.serf.QueryParams;
import io.murmur.serf.QueryReply;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfMember;
import io.murmur.serf.SerfStats;
import io.murmur.serf.coordinate.Coordinate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An {@link AgentSerf} that counts what this agent sends: user events and queries fired through it, and the acks and
 * responses its queries get. The serf node reports only what it receives, so the agent counts the outbound side here,
 * into the registry that {@code GET /metrics} shows.
 */
public final class CountingAgentSerf implements AgentSerf {

    private final AgentSerf serf;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter eventsSent;
    private final Counter queriesSent;
    private final Counter queryAcks;
    private final Counter queryResponses;

    public CountingAgentSerf(AgentSerf serf) {
        this.serf = serf;
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
    public String name() {
        return serf.name();
    }

    @Override
    public List<SerfMember> members() {
        return serf.members();
    }

    @Override
    public JoinResult join(List<Address> seeds, boolean ignoreOld) {
        return serf.join(seeds, ignoreOld);
    }

    @Override
    public Optional<String> leave() {
        return serf.leave();
    }

    @Override
    public Optional<String> forceLeave(String node, boolean prune) {
        return serf.forceLeave(node, prune);
    }

    @Override
    public Optional<String> userEvent(String name, byte[] payload, boolean coalesce) {
        Optional<String> error = serf.userEvent(name, payload, coalesce);
        if (error.isEmpty()) {
            eventsSent.increment();
        }
        return error;
    }

    @Override
    public Optional<String> setTags(Map<String, String> tags) {
        return serf.setTags(tags);
    }

    @Override
    public Optional<String> query(String name, byte[] payload, QueryParams params, Consumer<QueryReply> replies) {
        Optional<String> error = serf.query(name, payload, params, reply -> {
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

    @Override
    public Optional<String> respond(SerfEvent.Query query, byte[] payload) {
        return serf.respond(query, payload);
    }

    @Override
    public AutoCloseable subscribe(Consumer<SerfEvent> events) {
        return serf.subscribe(events);
    }

    @Override
    public KeyCommands.KeyResponse keyOperation(KeyCommands.Op op, byte[] key) {
        return serf.keyOperation(op, key);
    }

    @Override
    public Optional<Coordinate> coordinate(String node) {
        return serf.coordinate(node);
    }

    @Override
    public SerfStats stats() {
        return serf.stats();
    }

    @Override
    public boolean encrypted() {
        return serf.encrypted();
    }
}
