package io.murmur.serf;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import java.util.List;
import java.util.Map;

/** Small builders for the coalescing tests. */
final class CoalesceFixtures {

    private CoalesceFixtures() {}

    static SerfMember member(String name) {
        return member(name, Map.of());
    }

    static SerfMember member(String name, Map<String, String> tags) {
        return new SerfMember(
                name, new Address("10.0.0." + (Math.abs(name.hashCode()) % 250 + 1), 7946), tags, MemberStatus.ALIVE);
    }

    static SerfEvent.Members members(SerfEvent.Type type, SerfMember... members) {
        return new SerfEvent.Members(type, List.of(members));
    }

    static SerfEvent.Members join(String... names) {
        return named(SerfEvent.Type.MEMBER_JOIN, names);
    }

    static SerfEvent.Members named(SerfEvent.Type type, String... names) {
        return new SerfEvent.Members(
                type,
                java.util.Arrays.stream(names).map(CoalesceFixtures::member).toList());
    }

    static SerfEvent.User user(String name, long ltime, String payload, boolean coalesce) {
        return new SerfEvent.User(ltime, name, Bytes.utf8(payload), coalesce);
    }

    /** An event no coalescer handles: it passes through and, once seen downstream, proves all before it was taken. */
    static SerfEvent.Query marker(int n) {
        return new SerfEvent.Query(n, n, "marker-" + n, Bytes.EMPTY, "test", 0);
    }
}
