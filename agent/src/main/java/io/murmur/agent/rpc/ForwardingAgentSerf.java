package io.murmur.agent.rpc;

import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import io.murmur.serf.KeyCommands;
import io.murmur.serf.QueryParams;
import io.murmur.serf.QueryReply;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfInfo;
import io.murmur.serf.SerfMember;
import io.murmur.serf.SerfStats;
import io.murmur.serf.coordinate.Coordinate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** An {@link AgentSerf} that passes everything to another; a decorator overrides only what it adds to. */
public abstract class ForwardingAgentSerf implements AgentSerf {

    protected final AgentSerf delegate;

    protected ForwardingAgentSerf(AgentSerf delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<SerfMember> members() {
        return delegate.members();
    }

    @Override
    public JoinResult join(List<Address> seeds, boolean ignoreOld) {
        return delegate.join(seeds, ignoreOld);
    }

    @Override
    public Optional<String> leave() {
        return delegate.leave();
    }

    @Override
    public Optional<String> forceLeave(String node, boolean prune) {
        return delegate.forceLeave(node, prune);
    }

    @Override
    public Optional<String> userEvent(String name, byte[] payload, boolean coalesce) {
        return delegate.userEvent(name, payload, coalesce);
    }

    @Override
    public Optional<String> setTags(Map<String, String> tags) {
        return delegate.setTags(tags);
    }

    @Override
    public Optional<String> query(String name, byte[] payload, QueryParams params, Consumer<QueryReply> replies) {
        return delegate.query(name, payload, params, replies);
    }

    @Override
    public Optional<String> respond(SerfEvent.Query query, byte[] payload) {
        return delegate.respond(query, payload);
    }

    @Override
    public AutoCloseable subscribe(Consumer<SerfEvent> events) {
        return delegate.subscribe(events);
    }

    @Override
    public KeyCommands.KeyResponse keyOperation(KeyCommands.Op op, byte[] key) {
        return delegate.keyOperation(op, key);
    }

    @Override
    public Optional<Coordinate> coordinate(String node) {
        return delegate.coordinate(node);
    }

    @Override
    public SerfStats stats() {
        return delegate.stats();
    }

    @Override
    public Optional<SerfInfo> info() {
        return delegate.info();
    }

    @Override
    public boolean encrypted() {
        return delegate.encrypted();
    }

    @Override
    public int protocolVersion() {
        return delegate.protocolVersion();
    }
}
