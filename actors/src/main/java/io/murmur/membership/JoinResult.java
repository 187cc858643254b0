package io.murmur.membership;

import io.murmur.protocol.Address;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a join: how many seeds answered a full-state exchange (memberlist's {@code Join} count), and why
 * each of the others did not.
 */
public record JoinResult(int joined, Map<Address, String> failures) {

    public JoinResult {
        failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
    }

    /** True when at least one seed answered. */
    public boolean succeeded() {
        return joined > 0;
    }

    /** The seeds that did not answer, in the order they were given. */
    public List<Address> failedSeeds() {
        return List.copyOf(failures.keySet());
    }
}
