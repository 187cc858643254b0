package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;

/**
 * What one node believes about one member: its identity, incarnation and state, and when that state began (on the
 * believer's monotonic clock, in nanoseconds).
 */
public record Member(NodeInfo info, long incarnation, NodeState state, long stateChangeNanos) {

    public String name() {
        return info.name();
    }

    public Address address() {
        return info.address();
    }

    public Bytes meta() {
        return info.meta();
    }

    /** Alive or suspect: a member in the sense of memberlist's {@code Members()}. */
    public boolean isLive() {
        return state == NodeState.ALIVE || state == NodeState.SUSPECT;
    }

    Member with(NodeState newState, long incarnation, long now) {
        return new Member(info, incarnation, newState, newState == state ? stateChangeNanos : now);
    }
}
