package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.RandomLossGenerator;
import io.murmur.protocol.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With a lossy network the packet path loses packets (SWIM must see loss), while the reliable path recovers. */
class LossTest {

    private static final double LOSS = 0.2;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void packetPathLossStaysLossWhileTheReliablePathRetransmits() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("packetPathLossStaysLossWhileTheReliablePathRetransmits seed=" + seed);
        try (AeronMedia media = AeronMedia.launchCustomized(
                AeronSettings.defaults(),
                ctx -> ctx.receiveChannelEndpointSupplier(
                        (channel, dispatcher, status, c) -> new DebugReceiveChannelEndpoint(
                                channel,
                                dispatcher,
                                status,
                                c,
                                new RandomLossGenerator(LOSS, seed),
                                new RandomLossGenerator(0))))) {
            RecordingListener atB = RecordingListener.echo();
            try (AeronTransport a = AeronTransport.bind(media, new Address("127.0.0.1", 0));
                    AeronTransport b = AeronTransport.bind(media, new Address("127.0.0.1", 0))) {
                a.start(RecordingListener.echo());
                b.start(atB);
                lossyPacketsAndLosslessRequests(media, a, b, atB, seed);
            }
        }
        assertFalse(AeronMedia.isRunning());
    }

    private static void lossyPacketsAndLosslessRequests(
            AeronMedia media, AeronTransport a, AeronTransport b, RecordingListener atB, long seed) throws Exception {
        // connect first: packets held meanwhile would be counted as sent only when flushed
        Deadline.await(
                WAIT,
                () -> {
                    a.send(b.localAddress(), new byte[] {0});
                    return !atB.packets.isEmpty();
                },
                "a packet gets through at all");

        // 1400-byte packets: one per datagram, so each is lost or not on its own. A send refused by
        // back-pressure (the 32 KiB window) is simply tried again.
        int wanted = 200;
        byte[] packet = new byte[1400];
        Deadline.await(
                WAIT,
                () -> {
                    a.send(b.localAddress(), packet);
                    return a.stats().packetsSent.sum() >= wanted;
                },
                "enough packets accepted");
        PacketRoute route = media.media().routes.packetRoute(b.localAddress());
        Deadline.await(
                WAIT,
                () -> route.heldCount() == 0
                        && b.packetSubscription().imageCount() == 1
                        && b.packetSubscription().imageAtIndex(0).position() >= route.position(),
                "the receiver has consumed or gap-filled everything sent");
        long sent = a.stats().packetsSent.sum();
        long received = atB.packets.size();

        Random random = new Random(seed);
        List<byte[]> requests = new ArrayList<>();
        List<CompletableFuture<byte[]>> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] request = new byte[20_000 + i];
            random.nextBytes(request);
            requests.add(request);
            responses.add(a.request(b.localAddress(), request, WAIT).toCompletableFuture());
        }
        for (int i = 0; i < responses.size(); i++) {
            assertArrayEquals(requests.get(i), responses.get(i).get(20, TimeUnit.SECONDS), "echo #" + i);
        }

        System.out.println("packets received " + received + " of " + sent + " at " + LOSS + " frame loss");
        assertTrue(received < sent, "losses are not hidden by retransmission");
        assertTrue(received > sent / 2, "most packets still arrive: " + received + " of " + sent);
    }
}
