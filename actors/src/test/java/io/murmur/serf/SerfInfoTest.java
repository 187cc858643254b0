package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Bytes;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Serf.GetInfo}: Serf's own stats with Serf's meaning. The three Lamport times move with what they order, each
 * of Serf's three queues counts only its own kind of broadcast and empties once the broadcasts have been sent, the
 * health score is the membership node's, and coordinate resets are reported only by a node that computes coordinates.
 */
class SerfInfoTest {

    static final ActorTestKit kit = ActorTestKit.create("serf-info");
    private static final long SEED = 23;

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static SerfInfo info(SerfTestCluster.Member m) {
        TestProbe<SerfInfo> probe = kit.createTestProbe();
        m.serf().tell(new Serf.GetInfo(probe.getRef()));
        return probe.receiveMessage(Duration.ofSeconds(10));
    }

    private static void ok(SerfTestCluster.Member m, Function<ActorRef<StatusReply<Done>>, Serf.Command> command) {
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        m.serf().tell(command.apply(ack.getRef()));
        assertTrue(ack.receiveMessage(Duration.ofSeconds(10)).isSuccess());
    }

    @Test
    void clocksAndQueuesOfALoneNodeMoveWithWhatItSends() {
        try (MemoryNetwork net = new MemoryNetwork(SEED);
                SerfTestCluster c = new SerfTestCluster(kit, net, SEED, n -> SerfConfig.defaults())) {
            SerfTestCluster.Member lone = c.start(1, i -> Map.of()).get(0);
            SerfInfo before = info(lone);
            assertEquals(0, before.healthScore());
            assertEquals(OptionalLong.of(0), before.coordinateResets());

            // Alone, nothing it broadcasts is ever sent, so every broadcast stays queued and counted.
            ok(lone, r -> new Serf.UserEvent("deploy", Bytes.utf8("v1"), false, r));
            ok(lone, r -> new Serf.UserEvent("deploy", Bytes.utf8("v2"), false, r));
            TestProbe<QueryReply> replies = kit.createTestProbe();
            lone.serf().tell(new Serf.Query("uptime", Bytes.EMPTY, QueryParams.all(), replies.getRef()));
            ok(lone, r -> new Serf.ForceLeave("ghost", false, r));

            TestProbe<SerfInfo> probe = kit.createTestProbe();
            SerfInfo after = probe.awaitAssert(Duration.ofSeconds(10), () -> {
                SerfInfo i = info(lone);
                assertEquals(before.eventTime() + 2, i.eventTime(), i.toString());
                assertEquals(before.queryTime() + 1, i.queryTime(), i.toString());
                assertEquals(before.memberTime() + 1, i.memberTime(), i.toString());
                assertEquals(before.eventQueue() + 2, i.eventQueue(), i.toString());
                assertEquals(before.queryQueue() + 1, i.queryQueue(), i.toString());
                assertEquals(before.intentQueue() + 1, i.intentQueue(), i.toString());
                return i;
            });
            assertEquals(0, after.healthScore());
        }
    }

    @Test
    void queuesEmptyOnceTheirBroadcastsHaveBeenSentAndCoordinatesOffReportNoResets() {
        SerfConfig noCoordinates =
                SerfConfig.defaults().toBuilder().coordinates(false).build();
        try (MemoryNetwork net = new MemoryNetwork(SEED);
                SerfTestCluster c = new SerfTestCluster(kit, net, SEED, n -> noCoordinates)) {
            List<SerfTestCluster.Member> all = c.start(2, i -> Map.of());
            c.joinAllThroughFirst();
            c.awaitAlive(all, 2, Duration.ofSeconds(20));
            SerfTestCluster.Member first = all.get(0);
            ok(first, r -> new Serf.UserEvent("deploy", Bytes.utf8("v1"), false, r));
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
                SerfInfo i = info(first);
                assertEquals(0, i.eventQueue(), i.toString());
                assertEquals(0, i.intentQueue(), i.toString());
                assertEquals(0, i.queryQueue(), i.toString());
                return null;
            });
            SerfInfo i = info(first);
            assertTrue(i.eventTime() >= 2, i.toString());
            assertEquals(OptionalLong.empty(), i.coordinateResets());
        }
    }
}
