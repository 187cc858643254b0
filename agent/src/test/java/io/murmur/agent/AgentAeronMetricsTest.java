package io.murmur.agent;

import static io.murmur.agent.MetricsPage.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.MembershipConfig;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Message;
import io.murmur.serf.SerfSettings;
import io.murmur.transport.Transport;
import io.murmur.transport.aeron.AeronMedia;
import io.murmur.transport.aeron.AeronTransport;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * The Aeron transport's own counters on {@code /metrics}: an agent on Aeron UDP (loopback) answers a ping whose
 * sender claims an address where nothing listens; the ack waits for a publication that never connects, is held, and
 * is dropped once held too long.
 */
class AgentAeronMetricsTest {

    private static final List<String> REASONS = List.of(
            "hold_expired",
            "route_limit",
            "request_limit",
            "reassembly",
            "response_unmatched",
            "response_not_sent",
            "listener_error");

    private static final Transport.Listener DEAF = new Transport.Listener() {
        @Override
        public void onPacket(Address from, byte[] packet) {}

        @Override
        public CompletionStage<byte[]> onRequest(Address from, byte[] request) {
            return CompletableFuture.failedFuture(new IllegalStateException("deaf"));
        }
    };

    @Test
    void packetsHeldForAPeerThatNeverAnswersAreCountedAndDroppedOnceTooOld() throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "agent-aeron-metrics-test");
        AeronMedia media = AeronMedia.acquire();
        SerfAgent agent = null;
        AeronTransport stranger = null;
        DatagramSocket nobody = null;
        try {
            AeronTransport transport = AeronTransport.bind(media, new Address("127.0.0.1", 0));
            NodeSettings node = NodeSettings.of("a1", transport.localAddress(), MembershipConfig.lan())
                    .withSeed(5);
            agent = SerfAgent.start(
                    system, SerfSettings.of(node), transport, new InetSocketAddress("127.0.0.1", 0), "", null);
            agent.startHttp(new InetSocketAddress("127.0.0.1", 0));
            String before = MetricsPage.get(agent);
            for (String reason : REASONS) {
                assertEquals(0.0, sample(before, "murmur_transport_discarded_total{reason=\"" + reason + "\"}"));
            }
            assertEquals(0.0, sample(before, "murmur_transport_held_packets_total"));
            assertTrue(sample(before, "murmur_transport_offer_retries_total") >= 0);

            // A port bound for the whole test, so that nothing else takes it, where nothing ever answers: Aeron's
            // publication there never connects.
            nobody = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
            Address ghost = new Address("127.0.0.1", nobody.getLocalPort());
            stranger = AeronTransport.bind(media, new Address("127.0.0.1", 0));
            stranger.start(DEAF);
            stranger.send(transport.localAddress(), new Codec().frame(new Message.Ping(7, "a1", "ghost", ghost)));

            // The agent's ack to 'ghost' is held, then dropped once held longer than the hold bound (1 s).
            String after = MetricsPage.await(
                    system, agent, t -> sample(t, "murmur_transport_discarded_total{reason=\"hold_expired\"}") >= 1);
            assertTrue(sample(after, "murmur_transport_held_packets_total") >= 1, after);
            assertTrue(sample(after, "murmur_transport_dropped_packets_total{direction=\"out\"}") >= 1, after);
            assertEquals(0.0, sample(after, "murmur_transport_discarded_total{reason=\"listener_error\"}"));
            assertTrue(after.contains("# TYPE murmur_transport_discarded_total counter"), after);
        } finally {
            if (stranger != null) {
                stranger.close();
            }
            if (nobody != null) {
                nobody.close();
            }
            if (agent != null) {
                agent.close();
            }
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            media.release();
        }
    }
}
