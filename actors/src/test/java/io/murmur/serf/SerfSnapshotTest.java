package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Bytes;
import io.murmur.store.MemoryFileSystem;
import io.murmur.store.snapshot.SnapshotReader;
import io.murmur.transport.memory.MemoryNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A serf node restarted with its snapshot rejoins on its own and does not deliver old events again. */
class SerfSnapshotTest {

    static final ActorTestKit kit = ActorTestKit.create("serf-snapshot");
    static final Duration CONVERGE = Duration.ofSeconds(30);

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void aRestartedNodeRejoinsFromItsSnapshotWithoutReplayingEvents() {
        long seed = Long.getLong("murmur.test.seed", new Random().nextLong());
        System.out.println("SerfSnapshotTest seed=" + seed);
        MemoryFileSystem fs = new MemoryFileSystem();
        Path path = Path.of("/data/serf/s3.snapshot");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                SerfTestCluster c = new SerfTestCluster(kit, net, seed, n -> SerfConfig.defaults())) {
            List<SerfTestCluster.Member> all = c.start(3, i -> Map.of());
            SerfTestCluster.Member s3 =
                    c.start("s3", SerfTestCluster.addressOf(3), Map.of(), s -> s.withSnapshot(path, fs));
            c.joinAllThroughFirst();
            List<SerfTestCluster.Member> four = c.all();
            c.awaitAlive(four, 4, CONVERGE);
            TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
            all.get(0).serf().tell(new Serf.UserEvent("before", Bytes.utf8("1"), false, ack.getRef()));
            assertTrue(ack.receiveMessage().isSuccess());
            kit.createTestProbe().awaitAssert(CONVERGE, Duration.ofMillis(100), () -> {
                assertEquals(1, s3.userEvents().size());
                return null;
            });
            // Once a flush has written the clocks that cover the event, crash the node.
            long eventTime = s3.userEvents().get(0).ltime();
            kit.createTestProbe().awaitAssert(CONVERGE, Duration.ofMillis(100), () -> {
                assertTrue(SnapshotReader.replay(fs, path).state().eventClock() > eventTime);
                return null;
            });
            c.stop(s3);
            c.awaitAlive(all, 3, CONVERGE);

            SerfTestCluster.Member again =
                    c.start("s3", SerfTestCluster.addressOf(3), Map.of(), s -> s.withSnapshot(path, fs));
            // No join: the snapshot's members are rejoined on their own.
            c.awaitAlive(c.all(), 4, CONVERGE);
            all.get(1).serf().tell(new Serf.UserEvent("after", Bytes.utf8("2"), false, ack.getRef()));
            assertTrue(ack.receiveMessage().isSuccess());
            kit.createTestProbe().awaitAssert(CONVERGE, Duration.ofMillis(100), () -> {
                assertEquals(1, again.userEvents().size(), "events after the restart: " + again.userEvents());
                assertEquals("after", again.userEvents().get(0).name());
                return null;
            });
            // Push/pulls carry the old event around; it must stay old news.
            kit.createTestProbe().expectNoMessage(Duration.ofSeconds(3));
            assertEquals(
                    List.of("after"),
                    again.userEvents().stream().map(SerfEvent.User::name).toList());
        }
    }
}
