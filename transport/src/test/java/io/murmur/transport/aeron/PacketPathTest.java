package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PacketPathTest {

    private static final Address ANY_LOOPBACK_PORT = new Address("127.0.0.1", 0);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private AeronMedia media;
    private final List<AeronTransport> transports = new ArrayList<>();

    @BeforeEach
    void acquireMedia() {
        media = AeronMedia.acquire();
    }

    @AfterEach
    void releaseMedia() {
        transports.forEach(AeronTransport::close);
        media.release();
        assertFalse(AeronMedia.isRunning(), "every test releases the media it used");
    }

    private AeronTransport started(RecordingListener listener) {
        AeronTransport t = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
        transports.add(t);
        t.start(listener);
        return t;
    }

    @Test
    void portZeroBindsAnEphemeralPortAndReportsIt() {
        AeronTransport a = started(RecordingListener.echo());
        AeronTransport b = started(RecordingListener.echo());
        assertEquals("127.0.0.1", a.localAddress().host());
        assertNotEquals(0, a.localAddress().port());
        assertNotEquals(a.localAddress().port(), b.localAddress().port());
    }

    @Test
    void packetsFlowBothWaysAndNameTheirSender() throws Exception {
        RecordingListener atA = RecordingListener.echo();
        RecordingListener atB = RecordingListener.echo();
        AeronTransport a = started(atA);
        AeronTransport b = started(atB);

        assertTrue(a.send(b.localAddress(), bytes("ping")));
        RecordingListener.Received ping = atB.next(WAIT);
        assertNotNull(ping, "b received nothing");
        assertEquals(a.localAddress(), ping.from());
        assertEquals("ping", text(ping.packet()));

        assertTrue(b.send(ping.from(), bytes("ack")));
        RecordingListener.Received ack = atA.next(WAIT);
        assertNotNull(ack, "a received nothing");
        assertEquals(b.localAddress(), ack.from());
        assertEquals("ack", text(ack.packet()));

        assertEquals(1, a.stats().packetsSent.sum());
        assertEquals(1, a.stats().packetsReceived.sum());
        assertEquals(3, a.stats().bytesReceived.sum());
        assertEquals(0, b.stats().packetsDroppedIn.sum());
    }

    @Test
    void theFirstPacketsToANewPeerAreHeldUntilConnectedNotLost() throws Exception {
        RecordingListener atB = RecordingListener.echo();
        AeronTransport a = started(RecordingListener.echo());
        AeronTransport b = started(atB);

        for (int i = 0; i < 10; i++) {
            assertTrue(a.send(b.localAddress(), bytes("hello " + i)));
        }
        for (int i = 0; i < 10; i++) {
            RecordingListener.Received r = atB.next(WAIT);
            assertNotNull(r, "packet " + i + " was lost");
            assertEquals("hello " + i, text(r.packet()));
        }
        assertTrue(a.aeronStats().packetsHeld.sum() > 0, "a fresh publication is not connected at once");
        assertEquals(0, a.stats().packetsDroppedOut.sum());
        assertEquals(10, a.stats().packetsSent.sum());
    }

    @Test
    void aMemberlistSizedPacketTravelsAsOneAeronFrame() throws Exception {
        RecordingListener atB = RecordingListener.echo();
        AeronTransport a = started(RecordingListener.echo());
        AeronTransport b = started(atB);
        byte[] packet = new byte[1400];
        for (int i = 0; i < packet.length; i++) {
            packet[i] = (byte) i;
        }
        a.send(b.localAddress(), packet);
        RecordingListener.Received r = atB.next(WAIT);
        assertNotNull(r);
        assertArrayEquals(packet, r.packet());
        assertEquals(1, b.packetFragments(), "1400 bytes + envelope fit one 1472-byte MTU frame");
    }

    @Test
    void packetsLargerThanOneFrameAreReassembledUpToTheMaximum() throws Exception {
        RecordingListener atB = RecordingListener.echo();
        AeronTransport a = started(RecordingListener.echo());
        AeronTransport b = started(atB);
        byte[] largest = new byte[a.maxPacketBytes()];
        largest[largest.length - 1] = 42;
        assertTrue(a.send(b.localAddress(), largest));
        RecordingListener.Received r = atB.next(WAIT);
        assertNotNull(r);
        assertArrayEquals(largest, r.packet());
        int message = largest.length + Envelope.prefix(Envelope.Kind.PACKET, a.localAddress()).length;
        int payloadPerFrame = media.settings().mtu() - 32; // Aeron's data header is 32 bytes
        assertEquals(8192, message, "the largest packet fills one Aeron message (a term / 8)");
        assertEquals((message + payloadPerFrame - 1) / payloadPerFrame, b.packetFragments(), "fragmented");

        assertFalse(a.send(b.localAddress(), new byte[a.maxPacketBytes() + 1]));
        assertEquals(1, a.stats().packetsDroppedOut.sum());
    }

    @Test
    void packetsToAnEndpointNobodyAnswersAreHeldThenDroppedAndCounted() throws Exception {
        AeronTransport a = started(RecordingListener.echo());
        int held = media.settings().holdMaxPackets();
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Address nobody = new Address("127.0.0.1", silent.getLocalPort());
            for (int i = 0; i < held; i++) {
                assertTrue(a.send(nobody, bytes("into the void " + i)));
            }
            assertFalse(a.send(nobody, bytes("one too many")), "the hold is bounded in count");
            Deadline.await(
                    WAIT,
                    () -> a.stats().packetsDroppedOut.sum() == held + 1
                            && a.aeronStats().packetsExpiredInHold.sum() == held,
                    () -> "held packets expire; dropped so far "
                            + a.stats().packetsDroppedOut.sum());
            assertEquals(0, a.stats().packetsSent.sum());
        }
    }

    @Test
    void aListenerThatThrowsDoesNotStopDelivery() throws Exception {
        RecordingListener atB = RecordingListener.echo();
        AeronTransport a = started(RecordingListener.echo());
        AeronTransport b = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
        transports.add(b);
        b.start(new io.murmur.transport.Transport.Listener() {
            @Override
            public void onPacket(Address from, byte[] packet) {
                if (text(packet).equals("boom")) {
                    throw new IllegalStateException("listener bug");
                }
                atB.onPacket(from, packet);
            }

            @Override
            public java.util.concurrent.CompletionStage<byte[]> onRequest(Address from, byte[] request) {
                return atB.onRequest(from, request);
            }
        });
        a.send(b.localAddress(), bytes("boom"));
        a.send(b.localAddress(), bytes("still here"));
        RecordingListener.Received r = atB.next(WAIT);
        assertNotNull(r);
        assertEquals("still here", text(r.packet()));
        assertEquals(1, b.aeronStats().listenerErrors.sum());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
