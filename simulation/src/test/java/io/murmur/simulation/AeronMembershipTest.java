package io.murmur.simulation;

import static io.murmur.simulation.TestCluster.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.murmur.membership.MemberEvent;
import io.murmur.membership.MembershipConfig;
import io.murmur.protocol.Address;
import io.murmur.protocol.NodeState;
import io.murmur.transport.aeron.AeronMedia;
import io.murmur.transport.aeron.AeronTransport;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real node actors over real UDP: Aeron on loopback, five nodes in one JVM sharing one media driver. */
class AeronMembershipTest {

    static final ActorTestKit kit = ActorTestKit.create("aeron-membership");
    static AeronMedia media;

    @BeforeAll
    static void launch() {
        media = AeronMedia.acquire();
    }

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
        media.close();
    }

    private static TestCluster cluster(MembershipConfig config, long seed) {
        return new TestCluster(kit, config, address -> AeronTransport.bind(media, address), seed);
    }

    /** Five nodes on ephemeral loopback ports. */
    private static List<TestCluster.Member> startFive(TestCluster c) {
        for (int i = 0; i < 5; i++) {
            c.start("n" + i, new Address("127.0.0.1", 0));
        }
        return c.all();
    }

    @Test
    void fiveNodesConvergeOverUdp() {
        try (TestCluster c = cluster(TestCluster.fastConfig(), 11)) {
            startFive(c);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 5, Duration.ofSeconds(15));
        }
    }

    @Test
    void stoppedNodeIsDetectedOverUdp() {
        try (TestCluster c = cluster(TestCluster.fastConfig(), 12)) {
            startFive(c);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 5, Duration.ofSeconds(15));
            c.get("n4").node().stop().toCompletableFuture().join();
            c.awaitEvent(c.allBut("n4"), Duration.ofSeconds(20), event(MemberEvent.Type.FAILED, "n4"), "n4 failed");
        }
    }

    @Test
    void leaveIsSeenOverUdp() {
        try (TestCluster c = cluster(TestCluster.fastConfig(), 13)) {
            startFive(c);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 5, Duration.ofSeconds(15));
            c.get("n3")
                    .node()
                    .leave(Duration.ofSeconds(5))
                    .toCompletableFuture()
                    .join();
            c.awaitEvent(c.allBut("n3"), Duration.ofSeconds(15), event(MemberEvent.Type.LEAVE, "n3"), "n3 leave");
            c.get("n3").node().stop().toCompletableFuture().join();
            c.idle(Duration.ofSeconds(2));
            for (TestCluster.Member m : c.allBut("n3")) {
                assertFalse(m.events().any(event(MemberEvent.Type.FAILED, "n3")), m.name() + " saw n3 fail");
                m.view().get("n3").ifPresent(n3 -> assertEquals(NodeState.LEFT, n3.state()));
            }
        }
    }
}
