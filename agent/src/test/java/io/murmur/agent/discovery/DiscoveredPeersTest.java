package io.murmur.agent.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveredPeersTest {

    private final DiscoveredPeers peers = new DiscoveredPeers("self");
    private final Address b = new Address("10.0.0.2", 7946);
    private final Address c = new Address("10.0.0.3", 7946);

    @Test
    void eachAddressIsJoinedOnceAndThisNodeNever() {
        assertFalse(peers.found("self", new Address("10.0.0.1", 7946)));
        assertTrue(peers.found("b", b));
        assertFalse(peers.found("b", b), "already queued");
        assertTrue(peers.found("c", c));
        assertEquals(List.of(b, c), peers.takePending());
        assertEquals(List.of(), peers.takePending());
        assertFalse(peers.found("b", b), "joined already, whether or not it worked");
    }

    @Test
    void aNodeFoundAtANewAddressIsJoinedThere() {
        assertTrue(peers.found("b", b));
        peers.takePending();
        Address moved = new Address("10.0.0.9", 7946);
        assertTrue(peers.found("b", moved));
        assertEquals(List.of(moved), peers.takePending());
    }
}
