package io.murmur.agent.config;

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
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The node as the RPC port sees it, with the {@code -tags-file} rewritten after every successful tag change. */
public final class TagsFileSerf implements AgentSerf {

    private final AgentSerf node;
    private final Path file;

    public TagsFileSerf(AgentSerf node, Path file) {
        this.node = node;
        this.file = file;
    }

    @Override
    public Optional<String> setTags(Map<String, String> tags) {
        Optional<String> error = node.setTags(tags);
        if (error.isPresent()) {
            return error;
        }
        try {
            TagsFile.write(file, tags);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("tags changed, but the tags file was not written: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return node.name();
    }

    @Override
    public List<SerfMember> members() {
        return node.members();
    }

    @Override
    public JoinResult join(List<Address> seeds, boolean ignoreOld) {
        return node.join(seeds, ignoreOld);
    }

    @Override
    public Optional<String> leave() {
        return node.leave();
    }

    @Override
    public Optional<String> forceLeave(String name, boolean prune) {
        return node.forceLeave(name, prune);
    }

    @Override
    public Optional<String> userEvent(String name, byte[] payload, boolean coalesce) {
        return node.userEvent(name, payload, coalesce);
    }

    @Override
    public Optional<String> query(String name, byte[] payload, QueryParams params, Consumer<QueryReply> replies) {
        return node.query(name, payload, params, replies);
    }

    @Override
    public Optional<String> respond(SerfEvent.Query query, byte[] payload) {
        return node.respond(query, payload);
    }

    @Override
    public AutoCloseable subscribe(Consumer<SerfEvent> events) {
        return node.subscribe(events);
    }

    @Override
    public KeyCommands.KeyResponse keyOperation(KeyCommands.Op op, byte[] key) {
        return node.keyOperation(op, key);
    }

    @Override
    public Optional<Coordinate> coordinate(String name) {
        return node.coordinate(name);
    }

    @Override
    public SerfStats stats() {
        return node.stats();
    }

    @Override
    public boolean encrypted() {
        return node.encrypted();
    }
}
