package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.Versions;
import java.util.Objects;

/**
 * What a node needs to start: its identity, the protocol settings, and the seed of its random generator (every
 * random choice the node makes derives from it, so a test can replay one).
 */
public record NodeSettings(NodeInfo self, MembershipConfig config, long seed) {

    public NodeSettings {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(config, "config");
    }

    /** A node called {@code name} at {@code address}, with no metadata and a random seed. */
    public static NodeSettings of(String name, Address address, MembershipConfig config) {
        return new NodeSettings(
                new NodeInfo(name, address, Bytes.EMPTY, Versions.CURRENT),
                config,
                java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    public String name() {
        return self.name();
    }

    public NodeSettings withSeed(long newSeed) {
        return new NodeSettings(self, config, newSeed);
    }

    public NodeSettings withMeta(Bytes meta) {
        return new NodeSettings(self.withMeta(meta), config, seed);
    }

    /** The same settings for a node at another address (as when a transport picked an ephemeral port). */
    public NodeSettings at(Address address) {
        return new NodeSettings(new NodeInfo(self.name(), address, self.meta(), self.versions()), config, seed);
    }
}
