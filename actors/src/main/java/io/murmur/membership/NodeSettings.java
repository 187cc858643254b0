package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.SecuritySettings;
import io.murmur.protocol.Versions;
import java.util.Objects;

/**
 * What a node needs to start: its identity, the protocol settings, the seed of its random generator (every random
 * choice the node makes derives from it, so a test can replay one), and how it protects its traffic (label,
 * encryption, compression, allowed source networks; {@link SecuritySettings#NONE} by default).
 */
public record NodeSettings(NodeInfo self, MembershipConfig config, long seed, SecuritySettings security) {

    public NodeSettings {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(security, "security");
    }

    /** Settings without security: plaintext, no label, everyone allowed. */
    public NodeSettings(NodeInfo self, MembershipConfig config, long seed) {
        this(self, config, seed, SecuritySettings.NONE);
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
        return new NodeSettings(self, config, newSeed, security);
    }

    public NodeSettings withMeta(Bytes meta) {
        return new NodeSettings(self.withMeta(meta), config, seed, security);
    }

    public NodeSettings withConfig(MembershipConfig newConfig) {
        return new NodeSettings(self, newConfig, seed, security);
    }

    public NodeSettings withSecurity(SecuritySettings newSecurity) {
        return new NodeSettings(self, config, seed, newSecurity);
    }

    /** The same settings for a node at another address (as when a transport picked an ephemeral port). */
    public NodeSettings at(Address address) {
        return new NodeSettings(
                new NodeInfo(self.name(), address, self.meta(), self.versions()), config, seed, security);
    }
}
