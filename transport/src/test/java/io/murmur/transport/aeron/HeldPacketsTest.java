package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.transport.TransportStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldPacketsTest {

    private static final long SECOND = 1_000_000_000L;
    private final Sender sender = new Sender(new Address("127.0.0.1", 1), new TransportStats(), new AeronStats());

    private HeldPackets.Held packet(int n, long at) {
        return new HeldPackets.Held(sender, new byte[] {(byte) n}, at);
    }

    @Test
    void theHoldIsBoundedInCount() {
        HeldPackets held = new HeldPackets(2, SECOND);
        assertTrue(held.hold(packet(1, 0)));
        assertTrue(held.hold(packet(2, 0)));
        assertFalse(held.hold(packet(3, 0)), "a full hold refuses the newest packet");
        assertEquals(2, held.size());
    }

    @Test
    void packetsOlderThanTheBoundExpireOldestFirst() {
        HeldPackets held = new HeldPackets(10, SECOND);
        HeldPackets.Held young = packet(2, SECOND / 2);
        held.hold(packet(1, 0));
        held.hold(young);
        List<HeldPackets.Held> expired = new ArrayList<>();

        assertEquals(0, held.expire(SECOND, expired::add), "exactly at the bound is still in time");
        assertEquals(1, held.expire(SECOND + 1, expired::add));
        assertEquals(1, expired.get(0).payload()[0]);
        assertSame(young, held.peek());
        assertEquals(1, held.expire(2 * SECOND, expired::add));
        assertTrue(held.isEmpty());
    }

    @Test
    void packetsLeaveInTheOrderTheyCame() {
        HeldPackets held = new HeldPackets(10, SECOND);
        for (int i = 0; i < 5; i++) {
            held.hold(packet(i, i));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i, held.poll().payload()[0]);
        }
    }
}
