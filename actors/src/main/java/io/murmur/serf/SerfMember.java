package io.murmur.serf;

import io.murmur.protocol.Address;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A member as the serf layer sees it: its name, address, tags and status. Tags are sorted by key. */
public record SerfMember(String name, Address address, Map<String, String> tags, MemberStatus status) {

    public SerfMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        Objects.requireNonNull(status, "status");
    }

    public SerfMember withStatus(MemberStatus newStatus) {
        return new SerfMember(name, address, tags, newStatus);
    }
}
