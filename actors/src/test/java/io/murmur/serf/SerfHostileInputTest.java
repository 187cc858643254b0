package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Message;
import io.murmur.protocol.Rejection;
import io.murmur.protocol.SerfCodec;
import io.murmur.protocol.SerfMessage;
import io.murmur.transport.Transport;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Bytes from an attacker who can reach the gossip port: garbage, truncated and misplaced serf messages are dropped and
 * counted by reason, change nothing, and the node keeps working.
 */
class SerfHostileInputTest {

    static final ActorTestKit kit = ActorTestKit.create("serf-hostile");

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void hostileSerfPayloadsAreDroppedAndCountedAndTheNodeCarriesOn() {
        long seed = new Random().nextLong();
        System.out.println("SerfHostileInputTest seed=" + seed);
        try (MemoryNetwork net = new MemoryNetwork(seed);
                SerfTestCluster c = new SerfTestCluster(kit, net, seed, n -> SerfConfig.defaults())) {
            List<SerfTestCluster.Member> all = c.start(2, i -> Map.of());
            c.joinAllThroughFirst();
            c.awaitAlive(all, 2, Duration.ofSeconds(20));
            Transport attacker = net.bind(new Address("10.9.9.9", 666));
            attacker.start(new Transport.Listener() {
                @Override
                public void onPacket(Address from, byte[] packet) {}

                @Override
                public java.util.concurrent.CompletionStage<byte[]> onRequest(Address from, byte[] request) {
                    return CompletableFuture.failedFuture(new IllegalStateException("no"));
                }
            });
            Codec codec = new Codec();
            SerfCodec serf = new SerfCodec();
            Bytes valid = serf.encode(new SerfMessage.UserEvent(1, "x", Bytes.EMPTY, false));
            List<Bytes> payloads = List.of(
                    Bytes.utf8("not serf at all"),
                    Bytes.of(java.util.Arrays.copyOf(valid.toArray(), valid.size() - 2)),
                    Bytes.of(new byte[] {0x53, 7, 42}),
                    serf.encode(new SerfMessage.PushPull(1, Map.of(), List.of(), 1, List.of(), 1)),
                    serf.encode(new SerfMessage.Relay(
                            new Address("10.9.9.9", 666), "victim", Bytes.utf8("not a response"))));
            Address target = all.get(1).address();
            for (Bytes p : payloads) {
                attacker.send(target, codec.frame(new Message.UserMessage(p)));
            }
            TestProbe<SerfStats> stats = kit.createTestProbe();
            stats.awaitAssert(Duration.ofSeconds(10), () -> {
                all.get(1).serf().tell(new Serf.GetStats(stats.getRef()));
                SerfStats s = stats.receiveMessage();
                assertEquals(5, s.droppedTotal(), s.toString());
                assertEquals(1L, s.dropped().get(Rejection.BAD_MAGIC));
                assertEquals(1L, s.dropped().get(Rejection.TRUNCATED));
                assertEquals(1L, s.dropped().get(Rejection.UNSUPPORTED_VERSION));
                assertEquals(2L, s.dropped().get(Rejection.WRONG_PATH));
                return null;
            });
            // Nothing changed, and the node still works: a user event still reaches it.
            assertTrue(all.get(1).userEvents().isEmpty());
            TestProbe<org.apache.pekko.pattern.StatusReply<org.apache.pekko.Done>> ack = kit.createTestProbe();
            all.get(0).serf().tell(new Serf.UserEvent("after", Bytes.EMPTY, false, ack.getRef()));
            assertTrue(ack.receiveMessage().isSuccess());
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
                assertEquals(1, all.get(1).userEvents().size());
                return null;
            });
            attacker.close();
        }
    }
}
