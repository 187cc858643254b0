package io.murmur.agent.config;

import io.murmur.agent.rpc.AgentSerf;
import io.murmur.agent.rpc.ForwardingAgentSerf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The node as the RPC port sees it, with the {@code -tags-file} rewritten after every successful tag change. */
public final class TagsFileSerf extends ForwardingAgentSerf {

    private final Path file;

    public TagsFileSerf(AgentSerf node, Path file) {
        super(node);
        this.file = file;
    }

    @Override
    public Optional<String> setTags(Map<String, String> tags) {
        Optional<String> error = delegate.setTags(tags);
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
}
