package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Message;
import io.murmur.protocol.Rejection;
import io.murmur.transport.Transport;
import io.murmur.transport.memory.MemoryNetwork;
import io.murmur.transport.memory.MemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Node.GetStats}: what a node's inbound path dropped, counted by reason, in the live object the node answers
 * with (the agent's {@code /metrics} reads it for {@code murmur_packets_dropped_total}).
 */
class NodeStatsTest {

    static final ActorTestKit kit = ActorTestKit.create("node-stats");
    private static final long SEED = 17;

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static final Transport.Listener DEAF = new Transport.Listener() {
        @Override
        public void onPacket(Address from, byte[] packet) {}

        @Override
        public CompletionStage<byte[]> onRequest(Address from, byte[] request) {
            return CompletableFuture.failedFuture(new IllegalStateException("deaf"));
        }
    };

    @Test
    void dropsAreCountedByReasonAndReturnedInTheLiveStats() throws Exception {
        try (MemoryNetwork network = new MemoryNetwork(SEED)) {
            Address address = new Address("10.2.0.1", 7946);
            NodeSettings settings =
                    NodeSettings.of("n1", address, MembershipConfig.local()).withSeed(SEED);
            ActorRef<Node.Command> node = kit.spawn(Node.create(settings, network.bind(address)), "n1");
            TestProbe<NodeStats> probe = kit.createTestProbe();
            node.tell(new Node.GetStats(probe.getRef()));
            NodeStats stats = probe.receiveMessage(Duration.ofSeconds(5));
            assertEquals(0, stats.totalDropped());

            Codec codec = new Codec();
            try (MemoryTransport stranger = network.bind(new Address("10.2.0.99", 7946))) {
                stranger.start(DEAF);
                stranger.send(address, new byte[] {(byte) (Codec.MAGIC + 1), 1, 2}); // BAD_MAGIC
                stranger.send(address, new byte[] {(byte) (Codec.MAGIC + 1)}); // BAD_MAGIC
                stranger.send(address, new byte[0]); // EMPTY
                // A push/pull belongs on the reliable path: in a packet it is WRONG_PATH.
                stranger.send(address, codec.frame(new Message.PushPull(false, List.of(), Bytes.EMPTY)));
                // And a ping on the reliable path is WRONG_PATH too: no response, the request times out.
                CompletableFuture<byte[]> refused = stranger.request(
                                address,
                                codec.frame(new Message.Ping(1, "n1", "stranger", stranger.localAddress())),
                                Duration.ofSeconds(1))
                        .toCompletableFuture();
                assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));

                probe.awaitAssert(Duration.ofSeconds(10), () -> {
                    assertEquals(5, stats.totalDropped(), stats.drops().toString());
                    return null;
                });
            }

            Map<Rejection, Long> drops = stats.drops();
            assertEquals(Rejection.values().length, drops.size(), "every reason is listed, zeros included");
            assertEquals(2L, drops.get(Rejection.BAD_MAGIC));
            assertEquals(1L, drops.get(Rejection.EMPTY));
            assertEquals(2L, drops.get(Rejection.WRONG_PATH));
            assertEquals(0L, drops.get(Rejection.DECRYPTION_FAILED));
            assertEquals(2, stats.droppedFor(Rejection.BAD_MAGIC));
            assertEquals(2, stats.droppedFor(Rejection.WRONG_PATH));
            assertEquals(0, stats.requestsRefused.sum());

            // The node answers with the live object: what was counted since shows without asking again.
            node.tell(new Node.GetStats(probe.getRef()));
            assertSame(stats, probe.receiveMessage(Duration.ofSeconds(5)));
            kit.stop(node, Duration.ofSeconds(10));
        }
    }
}
