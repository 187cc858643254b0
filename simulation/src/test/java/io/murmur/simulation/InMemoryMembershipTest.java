package io.murmur.simulation;

import static io.murmur.simulation.TestCluster.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.JoinResult;
import io.murmur.membership.Member;
import io.murmur.membership.MemberEvent;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.Node;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.NodeState;
import io.murmur.protocol.Rejection;
import io.murmur.transport.Transport;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The real node actors, many in one actor system, over the in-memory network with faults switched on by the test. */
class InMemoryMembershipTest {

    static final ActorTestKit kit = ActorTestKit.create("membership");
    static final Duration CONVERGE = Duration.ofSeconds(15);
    static final Duration DETECT = Duration.ofSeconds(20);

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static TestCluster cluster(MemoryNetwork net, MembershipConfig config, long seed) {
        return TestCluster.inMemory(kit, net, config, seed);
    }

    @Test
    void threeNodesJoinAndConverge() {
        try (MemoryNetwork net = new MemoryNetwork(1);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 1)) {
            c.start(3);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 3, CONVERGE);
        }
    }

    @Test
    void twentyNodesJoinAndConverge() {
        try (MemoryNetwork net = new MemoryNetwork(2);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 2)) {
            c.start(20);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 20, CONVERGE);
            // Every node saw a join event for every member, itself included.
            c.awaitEvent(c.all(), CONVERGE, e -> true, "events");
            for (TestCluster.Member m : c.all()) {
                assertEquals(
                        20,
                        m.events().matching(e -> e.type() == MemberEvent.Type.JOIN).stream()
                                .map(e -> e.member().name())
                                .distinct()
                                .count());
            }
        }
    }

    @Test
    void stoppedNodeIsDeclaredFailedByAll() {
        try (MemoryNetwork net = new MemoryNetwork(3);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 3)) {
            c.start(5);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 5, CONVERGE);
            c.get("n4").node().stop().toCompletableFuture().join();
            c.awaitEvent(c.allBut("n4"), DETECT, event(MemberEvent.Type.FAILED, "n4"), "n4 failed");
            for (TestCluster.Member m : c.allBut("n4")) {
                // Dead, or already forgotten after the gossip-to-the-dead time.
                m.view().get("n4").ifPresent(n4 -> assertEquals(NodeState.DEAD, n4.state()));
                assertFalse(m.events().any(event(MemberEvent.Type.LEAVE, "n4")));
            }
        }
    }

    @Test
    void gracefulLeaveIsSeenAsLeftNotFailed() {
        try (MemoryNetwork net = new MemoryNetwork(4);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 4)) {
            c.start(5);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 5, CONVERGE);
            c.get("n4")
                    .node()
                    .leave(Duration.ofSeconds(5))
                    .toCompletableFuture()
                    .join();
            c.awaitEvent(c.allBut("n4"), DETECT, event(MemberEvent.Type.LEAVE, "n4"), "n4 leave");
            c.get("n4").node().stop().toCompletableFuture().join();
            // Well past a suspicion timeout after the stop: still left, never failed.
            c.idle(Duration.ofSeconds(3));
            for (TestCluster.Member m : c.allBut("n4")) {
                assertFalse(m.events().any(event(MemberEvent.Type.FAILED, "n4")), m.name() + " saw n4 fail");
                m.view().get("n4").ifPresent(n4 -> assertEquals(NodeState.LEFT, n4.state()));
            }
        }
    }

    @Test
    void falselySuspectedNodeRefutes() {
        try (MemoryNetwork net = new MemoryNetwork(5);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 5)) {
            c.start(5);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 5, CONVERGE);
            // A liar tells n0 that n2 is suspect; the suspicion spreads, reaches n2, and n2 outbids it.
            Transport liar = net.bind(new Address("6.6.6.6", 1));
            liar.send(c.get("n0").address(), new Codec().frame(new Suspect(1, "n2", "liar")));
            kit.createTestProbe().awaitAssert(DETECT, Duration.ofMillis(50), () -> {
                for (TestCluster.Member m : c.all()) {
                    Member n2 = m.view().get("n2").orElseThrow();
                    assertEquals(NodeState.ALIVE, n2.state(), m.name());
                    assertTrue(n2.incarnation() >= 2, m.name() + " has not seen the refutation");
                }
                return null;
            });
            c.idle(Duration.ofSeconds(4)); // longer than the longest suspicion timeout
            for (TestCluster.Member m : c.all()) {
                assertFalse(m.events().any(event(MemberEvent.Type.FAILED, "n2")), m.name() + " failed n2");
            }
            liar.close();
        }
    }

    /** Slower probes than the other suites: an exact claim (nobody ever suspected n1) needs margin on a busy CI. */
    static MembershipConfig relaxedProbes() {
        return TestCluster.fastConfig().toBuilder()
                .probeInterval(Duration.ofMillis(500))
                .probeTimeout(Duration.ofMillis(250))
                .build();
    }

    @Test
    void indirectProbeSavesNodeWhoseDirectLinkIsCut() {
        CutLinkOutcome outcome = cutLinkBetweenN0AndN1(relaxedProbes());
        assertEquals(1, outcome.highestIncarnation(), "n1 was suspected and had to refute");
        assertFalse(outcome.failed(), "n1 was declared failed");
    }

    /** The control experiment: the same cut without indirect probes does get n1 suspected. */
    @Test
    void withoutIndirectProbesACutLinkLeadsToSuspicion() {
        MembershipConfig noIndirect =
                relaxedProbes().toBuilder().indirectChecks(0).build();
        CutLinkOutcome outcome = cutLinkBetweenN0AndN1(noIndirect);
        assertTrue(outcome.highestIncarnation() > 1 || outcome.failed(), "n1 was never suspected");
    }

    record CutLinkOutcome(long highestIncarnation, boolean failed) {}

    /** Cuts n0 <-> n1 in a cluster of three and lets 12 probe rounds pass. */
    private CutLinkOutcome cutLinkBetweenN0AndN1(MembershipConfig config) {
        try (MemoryNetwork net = new MemoryNetwork(6);
                TestCluster c = cluster(net, config, 6)) {
            c.start(3);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 3, CONVERGE);
            net.cutBoth(c.get("n0").address(), c.get("n1").address());
            c.idle(config.probeInterval().multipliedBy(12));
            long incarnation = 0;
            boolean failed = false;
            for (TestCluster.Member m : c.all()) {
                Member n1 = m.view().get("n1").orElseThrow();
                incarnation = Math.max(incarnation, n1.incarnation());
                failed |= n1.state() != NodeState.ALIVE || m.events().any(event(MemberEvent.Type.FAILED, "n1"));
            }
            return new CutLinkOutcome(incarnation, failed);
        }
    }

    @Test
    void partitionHealsBackIntoOneClusterThroughTheSeedRejoin() {
        assertEquals(6, partitionUntilForgottenThenHeal(TestCluster.fastConfig(), 7));
    }

    /** The control experiment: without the seed re-join, the halves stay apart after the heal (as memberlist does). */
    @Test
    void withoutTheSeedRejoinAHealedPartitionStaysSplit() {
        MembershipConfig noRejoin = TestCluster.fastConfig().toBuilder()
                .rejoinInterval(Duration.ZERO)
                .build();
        assertEquals(3, partitionUntilForgottenThenHeal(noRejoin, 8));
    }

    /**
     * Splits six nodes into halves, waits until each half has forgotten the other (so that only a re-join can bring
     * them together), heals, and returns how many alive members n5 sees a while later.
     */
    private int partitionUntilForgottenThenHeal(MembershipConfig config, long seed) {
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = cluster(net, config, seed)) {
            List<TestCluster.Member> all = c.start(6);
            c.joinAllThroughFirst();
            c.awaitAlive(all, 6, CONVERGE);
            List<TestCluster.Member> left = all.subList(0, 3);
            List<TestCluster.Member> right = all.subList(3, 6);
            net.partition(
                    left.stream().map(TestCluster.Member::address).toList(),
                    right.stream().map(TestCluster.Member::address).toList());
            kit.createTestProbe().awaitAssert(DETECT.plus(config.gossipToTheDeadTime()), Duration.ofMillis(100), () -> {
                for (TestCluster.Member m : all) {
                    assertEquals(
                            3,
                            m.view().size(),
                            m.name() + " has not forgotten the other half: "
                                    + m.view().all());
                }
                return null;
            });
            net.heal();
            if (config.rejoinInterval().isZero()) {
                c.idle(Duration.ofSeconds(4)); // several push/pull intervals: nothing else can bring them together
            } else {
                c.awaitAlive(all, 6, CONVERGE);
            }
            return c.get("n5").view().aliveCount();
        }
    }

    @Test
    void joinCountsTheSeedsThatAnswered() {
        try (MemoryNetwork net = new MemoryNetwork(10);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 10)) {
            c.start(3);
            Address nobody = new Address("10.9.9.9", 7946);
            JoinResult result = c.get("n2")
                    .node()
                    .join(c.get("n0").address(), nobody, c.get("n1").address())
                    .toCompletableFuture()
                    .join();
            assertEquals(2, result.joined());
            assertEquals(List.of(nobody), result.failedSeeds());
            c.awaitAlive(c.all(), 3, CONVERGE);
        }
    }

    @Test
    void hostilePacketsAreDroppedAndCountedWithoutHarm() {
        try (MemoryNetwork net = new MemoryNetwork(11);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 11)) {
            c.start(3);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 3, CONVERGE);
            TestCluster.Member target = c.get("n1");
            Transport attacker = net.bind(new Address("6.6.6.6", 2));
            Codec codec = new Codec();
            byte[] valid = codec.frame(new Suspect(1, "n2", "attacker"));
            attacker.send(target.address(), new byte[0]);
            attacker.send(target.address(), new byte[] {1, 2, 3});
            attacker.send(target.address(), java.util.Arrays.copyOf(valid, valid.length - 2));
            attacker.send(target.address(), new byte[] {Codec.MAGIC, Codec.VERSION, 0, 99});
            attacker.send(target.address(), new byte[70_000]);
            attacker.send(
                    target.address(),
                    codec.frame(new io.murmur.protocol.Message.PushPull(
                            false, List.of(), Bytes.EMPTY))); // push/pull belongs on the reliable path
            java.util.Random random = new java.util.Random(11);
            for (int i = 0; i < 500; i++) {
                byte[] garbage = valid.clone();
                garbage[3 + random.nextInt(garbage.length - 3)] ^= (byte) (1 << random.nextInt(8));
                attacker.send(target.address(), garbage);
            }
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
                var drops = target.node().stats().drops();
                assertTrue(drops.get(Rejection.EMPTY) >= 1, drops.toString());
                assertTrue(drops.get(Rejection.BAD_MAGIC) >= 1, drops.toString());
                assertTrue(drops.get(Rejection.TRUNCATED) >= 1, drops.toString());
                assertTrue(drops.get(Rejection.UNKNOWN_TYPE) >= 1, drops.toString());
                assertTrue(drops.get(Rejection.OVERSIZED) >= 1, drops.toString());
                assertTrue(drops.get(Rejection.WRONG_PATH) >= 1, drops.toString());
                return null;
            });
            // The node is still a working member: it sees a new node join.
            TestCluster.Member late = c.start("late", TestCluster.addressOf(42));
            late.node().join(target.address()).toCompletableFuture().join();
            c.awaitAlive(c.all(), 4, CONVERGE);
            attacker.close();
        }
    }

    @Test
    void pushPullCarriesATenThousandMemberTable() {
        try (MemoryNetwork net = new MemoryNetwork(12);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 12)) {
            TestCluster.Member n0 = c.start("n0", TestCluster.addressOf(0));
            // A peer hands n0 a table of 10,000 members (at addresses where nobody listens).
            List<io.murmur.protocol.Message.PushNodeState> rows = new java.util.ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                rows.add(new io.murmur.protocol.Message.PushNodeState(
                        new io.murmur.protocol.NodeInfo("member-" + i, TestCluster.addressOf(1000 + i)),
                        1,
                        NodeState.ALIVE));
            }
            Transport peer = net.bind(new Address("6.6.6.6", 3));
            byte[] request = new Codec().frame(new io.murmur.protocol.Message.PushPull(true, rows, Bytes.EMPTY));
            peer.request(n0.address(), request, Duration.ofSeconds(10))
                    .toCompletableFuture()
                    .join();
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
                assertEquals(10_001, n0.view().size());
                return null;
            });
            // A new node's join pulls the whole table through the reliable path in one exchange.
            TestCluster.Member n1 = c.start("n1", TestCluster.addressOf(1));
            assertEquals(
                    1, n1.node().join(n0.address()).toCompletableFuture().join().joined());
            assertTrue(n1.view().size() >= 10_002, "n1 knows " + n1.view().size());
            peer.close();
        }
    }

    @Test
    void memberEventsAreAlsoAStream() {
        try (MemoryNetwork net = new MemoryNetwork(13);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 13)) {
            TestCluster.Member n0 = c.start("n0", TestCluster.addressOf(0));
            var events = n0.node().events().toCompletableFuture().join();
            // Each stream subscribes when it is materialized, so every one of them sees the joins that follow, however
            // soon they follow (a BroadcastHub attaches consumers later, and under load missed them: a CI failure).
            List<java.util.concurrent.CompletionStage<List<MemberEvent>>> streams = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                streams.add(events.filter(e -> e.type() == MemberEvent.Type.JOIN)
                        .take(2)
                        .runWith(org.apache.pekko.stream.javadsl.Sink.seq(), kit.system()));
            }
            c.start("n1", TestCluster.addressOf(1))
                    .node()
                    .join(n0.address())
                    .toCompletableFuture()
                    .join();
            c.start("n2", TestCluster.addressOf(2))
                    .node()
                    .join(n0.address())
                    .toCompletableFuture()
                    .join();
            for (var stream : streams) {
                List<MemberEvent> joins = stream.toCompletableFuture()
                        .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                        .join();
                assertEquals(
                        java.util.Set.of("n1", "n2"),
                        joins.stream().map(e -> e.member().name()).collect(java.util.stream.Collectors.toSet()));
            }
            // A stream that is still running completes when its node stops.
            var untilStopped = events.runWith(org.apache.pekko.stream.javadsl.Sink.ignore(), kit.system());
            n0.node().stop().toCompletableFuture().join();
            untilStopped
                    .toCompletableFuture()
                    .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                    .join();
        }
    }

    @Test
    void aLeaveThatCannotBeSentInTimeReportsIt() {
        // Gossip rounds and probes seconds apart: the leave message cannot go out within 300 ms.
        MembershipConfig slow = TestCluster.fastConfig().toBuilder()
                .probeInterval(Duration.ofSeconds(5))
                .probeTimeout(Duration.ofSeconds(1))
                .gossipInterval(Duration.ofSeconds(5))
                .build();
        try (MemoryNetwork net = new MemoryNetwork(14);
                TestCluster c = cluster(net, slow, 14)) {
            c.start(3);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 3, CONVERGE);
            var leave = c.get("n2").node().leave(Duration.ofMillis(300)).toCompletableFuture();
            var failure = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.CompletionException.class, leave::join);
            assertTrue(String.valueOf(failure.getCause().getMessage()).contains("timeout"), failure.toString());
        }
    }

    @Test
    void oversizedMetadataIsRefused() {
        try (MemoryNetwork net = new MemoryNetwork(15);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 15)) {
            TestCluster.Member n0 = c.start("n0", TestCluster.addressOf(0));
            var update = n0.node().updateMeta(Bytes.of(new byte[513])).toCompletableFuture();
            var failure = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.CompletionException.class, update::join);
            assertTrue(String.valueOf(failure.getCause().getMessage()).contains("512"), failure.toString());
            org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> n0.node().broadcast(Bytes.of(new byte[2000])));
        }
    }

    @Test
    void metadataUpdateIsSeenEverywhere() {
        try (MemoryNetwork net = new MemoryNetwork(8);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 8)) {
            c.start(4);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 4, CONVERGE);
            Bytes meta = Bytes.utf8("role=web");
            c.get("n3").node().updateMeta(meta).toCompletableFuture().join();
            c.awaitEvent(c.allBut("n3"), CONVERGE, event(MemberEvent.Type.UPDATE, "n3"), "n3 update");
            for (TestCluster.Member m : c.all()) {
                assertEquals(meta, m.view().get("n3").orElseThrow().meta());
            }
        }
    }

    @Test
    void userMessagesReachTheirNodes() {
        try (MemoryNetwork net = new MemoryNetwork(9);
                TestCluster c = cluster(net, TestCluster.fastConfig(), 9)) {
            c.start(3);
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), 3, CONVERGE);
            TestProbe<Node.UserMessageReceived> inbox = kit.createTestProbe();
            c.get("n2").node().subscribeMessages(inbox.getRef());
            c.get("n0").node().sendTo(c.get("n2").address(), Bytes.utf8("direct"));
            Node.UserMessageReceived direct = inbox.receiveMessage(Duration.ofSeconds(5));
            assertEquals("direct", direct.payload().utf8());
            assertEquals(c.get("n0").address(), direct.from());
            c.get("n1").node().broadcast(Bytes.utf8("gossiped"));
            assertEquals(
                    "gossiped",
                    inbox.receiveMessage(Duration.ofSeconds(5)).payload().utf8());
        }
    }
}
