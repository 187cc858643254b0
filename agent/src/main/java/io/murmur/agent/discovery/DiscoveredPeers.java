package io.murmur.agent.discovery;

import io.murmur.protocol.Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Serf's mDNS join rule: an address found is joined once. Finds are queued until the browser has been quiet a moment
 * and then joined together ({@link #takePending}); an address that was joined, whether or not the join worked, is
 * not joined again (a node that comes back at a new address is). This node's own instance is skipped.
 */
final class DiscoveredPeers {

    private final String self;
    private final Set<Address> seen = new HashSet<>();
    private final Set<Address> pending = new LinkedHashSet<>();

    /** @param self this node's instance name (its node name) */
    DiscoveredPeers(String self) {
        this.self = self;
    }

    /** Queues {@code address} of {@code instance}; false when it is this node, already joined or already queued. */
    synchronized boolean found(String instance, Address address) {
        if (instance.equals(self) || seen.contains(address)) {
            return false;
        }
        return pending.add(address);
    }

    /** The queued addresses, in the order found; they count as joined from now on. */
    synchronized List<Address> takePending() {
        List<Address> batch = new ArrayList<>(pending);
        seen.addAll(pending);
        pending.clear();
        return batch;
    }
}
