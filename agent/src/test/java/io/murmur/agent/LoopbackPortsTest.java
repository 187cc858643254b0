package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@link LoopbackPorts}: a port taken for UDP or for TCP is not handed out, and none is in the ephemeral range. */
class LoopbackPortsTest {

    @Test
    void aPortTakenForUdpOrForTcpIsSkipped() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket udp = new DatagramSocket(FreePorts.next(), loopback);
                ServerSocket tcp = new ServerSocket(FreePorts.next(), 1, loopback)) {
            LoopbackPorts ports = new LoopbackPorts(Math.min(udp.getLocalPort(), tcp.getLocalPort()));
            for (int i = 0; i < 3; i++) {
                int port = ports.next();
                assertNotEquals(udp.getLocalPort(), port, "taken for UDP");
                assertNotEquals(tcp.getLocalPort(), port, "taken for TCP");
                assertTrue(port < LoopbackPorts.EPHEMERAL, port + " is in the ephemeral range");
            }
        }
    }

    @Test
    void portsStartBelowTheEphemeralRange() {
        assertThrows(IllegalArgumentException.class, () -> new LoopbackPorts(LoopbackPorts.EPHEMERAL));
    }
}
