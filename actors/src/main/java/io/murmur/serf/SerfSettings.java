package io.murmur.serf;

import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Tags;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What a serf node needs to start: its membership settings, the serf layer's, and its initial tags. */
public record SerfSettings(NodeSettings node, SerfConfig serf, Map<String, String> tags) {

    public SerfSettings {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(serf, "serf");
        tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        Tags.encode(tags); // fails early when the tags do not fit the node's metadata
    }

    public static SerfSettings of(NodeSettings node) {
        return new SerfSettings(node, SerfConfig.defaults(), Map.of());
    }

    public SerfSettings withTags(Map<String, String> newTags) {
        return new SerfSettings(node, serf, newTags);
    }

    public SerfSettings withConfig(SerfConfig config) {
        return new SerfSettings(node, config, tags);
    }

    public String name() {
        return node.name();
    }
}
