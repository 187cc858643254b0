package io.murmur.simulation;

import static io.murmur.simulation.TestCluster.addresses;
import static io.murmur.simulation.TestCluster.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.Member;
import io.murmur.membership.MemberEvent;
import io.murmur.membership.MembershipConfig;
import io.murmur.protocol.NodeState;
import io.murmur.transport.memory.MemoryNetwork;
import io.murmur.transport.memory.PacketDelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The real node actors, many in one actor system, over an in-memory network with the simulator's fault model: loss,
 * partitions, pauses. Each test draws a seed (or takes {@code -Dmurmur.test.seed=S}) and prints it; the network and
 * every node derive their randomness from it.
 *
 * <p>The timings leave margin for fifty nodes sharing two loaded cores. A probe round lasts 500 ms and an ack is
 * accepted until its end, with indirect probes after 250 ms. With Lifeguard a lone accuser's suspicion lasts
 * {@code 6 × 5 × log10(N) × 500 ms} (25 s at N = 50, 15 s at N = 10), and one confirmed by two more members (by their
 * own probes, or by merging the suspicion from a push/pull, as memberlist counts them) {@code 5 × log10(N) × 500 ms}
 * (4.2 s and 2.5 s), while a refutation reaches everyone within a few 100 ms gossip rounds (under load, 0.7 s at
 * most). Almost everyone: each member that hears a refutation passes it on {@code 4 × ⌈log10(N + 1)⌉} = 8 times, so
 * at 10 % loss about one member in a thousand hears none of them and keeps suspecting until anti-entropy repairs it
 * (measured under load with push/pull every 10 s: one stale suspicion in 1,500, lasting 4.7 s). Push/pull every second
 * (2 s at N = 50, memberlist's scaling) repairs it before even the shortest suspicion timeout can run out (measured:
 * 1.7 s at most). A healthy member is then declared failed only if a scheduling stall far beyond these margins hits
 * it.
 */
class FaultyNetworkMembershipTest {

    static final ActorTestKit kit = ActorTestKit.create("faulty-network");
    static final Duration CONVERGE = Duration.ofSeconds(20);
    static final Duration DETECT = Duration.ofSeconds(25);

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    /** See the class comment. */
    static MembershipConfig config() {
        return MembershipConfig.lan().toBuilder()
                .probeInterval(Duration.ofMillis(500))
                .probeTimeout(Duration.ofMillis(250))
                .indirectChecks(3)
                .suspicionMult(5)
                .suspicionMaxTimeoutMult(6)
                .gossipInterval(Duration.ofMillis(100))
                .gossipNodes(3)
                .retransmitMult(4)
                .pushPullInterval(Duration.ofSeconds(1))
                .churnSyncDelay(Duration.ofMillis(300))
                .streamTimeout(Duration.ofSeconds(2))
                .gossipToTheDeadTime(Duration.ofSeconds(3))
                .rejoinInterval(Duration.ofSeconds(1))
                .lifeguard(true)
                .build();
    }

    private static long seed(String test) {
        long seed = Long.getLong("murmur.test.seed", new Random().nextLong());
        System.out.println("FaultyNetworkMembershipTest." + test + " seed=" + seed);
        return seed;
    }

    private static TestCluster cluster(MemoryNetwork net, long seed) {
        return TestCluster.inMemory(kit, net, config(), seed);
    }

    @Test
    void fiftyNodesUnderTenPercentLossConvergeAndNoHealthyMemberIsDeclaredFailed() {
        long seed = seed("fiftyNodesUnderTenPercentLoss");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = cluster(net, seed)) {
            net.loss(0.10);
            List<TestCluster.Member> all = c.start(50);
            c.joinAllThroughFirst();
            c.awaitAlive(all, 50, CONVERGE);
            Duration window = Duration.ofSeconds(15);
            c.idle(window);
            c.awaitAlive(all, 50, CONVERGE);
            assertNoFailures(all, all);
            assertTrue(net.stats().packetsLost.sum() > 0, "the network lost nothing");
            long refuted = highestIncarnations(all).values().stream()
                    .filter(i -> i > 1)
                    .count();
            System.out.println(
                    "fiftyNodesUnderTenPercentLoss: " + net.stats().packetsLost.sum() + " packets lost, " + refuted
                            + " members refuted a suspicion, none declared failed");
        }
    }

    @Test
    void partitionedHalvesDeclareEachOtherFailedAndMergeAgainAfterTheHeal() {
        long seed = seed("partitionedHalves");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = cluster(net, seed)) {
            // A LAN's jitter, and a little reordering and duplication, which the protocol must shrug off.
            net.latency(PacketDelay.uniform(Duration.ofNanos(200_000), Duration.ofMillis(2)));
            net.reorder(0.01, Duration.ofMillis(10));
            net.duplicate(0.01);
            int n = 16;
            List<TestCluster.Member> all = c.start(n);
            c.joinAllThroughFirst();
            c.awaitAlive(all, n, CONVERGE);
            List<TestCluster.Member> left = all.subList(0, n / 2);
            List<TestCluster.Member> right = all.subList(n / 2, n);
            net.partition(addresses(left), addresses(right));
            awaitFailedEverywhere(left, right);
            awaitFailedEverywhere(right, left);
            // Each half forgets the other's dead: from now on only the seed re-join can bring them together.
            c.awaitViews(all, DETECT, (m, v) -> assertEquals(n / 2, v.size(), m.name() + " still knows " + v.all()));
            assertNoFailures(left, left);
            assertNoFailures(right, right);
            Map<String, Integer> marks = marks(all);
            net.heal();
            c.awaitAlive(all, n, CONVERGE);
            for (TestCluster.Member m : all) {
                List<TestCluster.Member> otherHalf = left.contains(m) ? right : left;
                for (TestCluster.Member o : otherHalf) {
                    assertTrue(
                            m.events().since(marks.get(m.name())).stream()
                                    .anyMatch(event(MemberEvent.Type.JOIN, o.name())),
                            m.name() + " saw no join of " + o.name() + " after the heal");
                }
            }
        }
    }

    @Test
    void pausedNodeThatWasFalselySuspectedRefutesOnceItResumes() {
        long seed = seed("pausedNodeRefutes");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = cluster(net, seed)) {
            int n = 10;
            List<TestCluster.Member> all = c.start(n);
            c.joinAllThroughFirst();
            c.awaitAlive(all, n, CONVERGE);
            TestCluster.Member paused = c.get("n5");
            List<TestCluster.Member> others = c.allBut("n5");
            long before = highestIncarnations(all).get("n5");
            // Paused until someone suspects it (a probe round or two), then resumed at once: well within even the
            // shortest suspicion timeout (2.5 s), so refuting in time is the node's job, not luck.
            long pausedAt = System.nanoTime();
            net.pause(paused.address(), DETECT);
            kit.createTestProbe().awaitAssert(DETECT, Duration.ofMillis(20), () -> {
                assertTrue(
                        others.stream()
                                .anyMatch(o -> o.view().get("n5").orElseThrow().state() == NodeState.SUSPECT),
                        "nobody suspects n5 yet");
                return null;
            });
            long resumedAt = System.nanoTime();
            net.resume(paused.address())
                    .toCompletableFuture()
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join();
            assertTrue(net.stats().packetsHeld.sum() > 0, "the pause held nothing");
            c.awaitViews(all, DETECT, (m, v) -> {
                Member p = v.get("n5").orElseThrow();
                assertEquals(NodeState.ALIVE, p.state(), m.name() + " sees " + p);
                assertTrue(p.incarnation() > before, m.name() + " has not seen n5 refute: " + p);
            });
            System.out.println("pausedNodeRefutes: suspected " + (resumedAt - pausedAt) / 1_000_000
                    + " ms into the pause, refuted everywhere " + (System.nanoTime() - resumedAt) / 1_000_000
                    + " ms after the resume");
            // The paused node's own probes failed meanwhile, and it suspected some; those refute too.
            c.awaitAlive(all, n, CONVERGE);
            for (TestCluster.Member m : all) {
                assertFalse(m.events().any(event(MemberEvent.Type.FAILED, "n5")), m.name() + " declared n5 failed");
            }
            assertNoFailures(all, all);
        }
    }

    @Test
    void aNodeThatLeavesDuringAPartitionStaysGoneAfterTheHeal() {
        long seed = seed("leaveDuringPartition");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = cluster(net, seed)) {
            net.latency(PacketDelay.uniform(Duration.ofNanos(200_000), Duration.ofMillis(2)));
            int n = 10;
            List<TestCluster.Member> all = c.start(n);
            c.joinAllThroughFirst();
            c.awaitAlive(all, n, CONVERGE);
            List<TestCluster.Member> left = all.subList(0, n / 2); // holds n0, everyone's seed
            List<TestCluster.Member> right = all.subList(n / 2, n);
            TestCluster.Member leaver = c.get("n7");
            List<TestCluster.Member> rightStaying =
                    right.stream().filter(m -> m != leaver).toList();
            net.partition(addresses(left), addresses(right));
            leaver.node().leave(Duration.ofSeconds(5)).toCompletableFuture().join();
            c.awaitEvent(rightStaying, DETECT, event(MemberEvent.Type.LEAVE, "n7"), "n7 leave");
            leaver.node().stop().toCompletableFuture().join();
            // The other side cannot hear the leave: to it, n7 fails with the rest of its half.
            awaitFailedEverywhere(left, right);
            awaitFailedEverywhere(rightStaying, left);
            // Healed before or after the halves forget each other (3 s), as the timing falls: both must hold.
            List<TestCluster.Member> staying = c.allBut("n7");
            Map<String, Integer> marks = marks(staying);
            net.heal();
            c.awaitAlive(staying, n - 1, CONVERGE);
            // A while longer, for any stale word of n7 to come round: push/pulls, the gossip-to-the-dead time.
            c.idle(config().gossipToTheDeadTime().plusSeconds(1));
            for (TestCluster.Member m : staying) {
                m.view()
                        .get("n7")
                        .ifPresent(
                                n7 -> assertTrue(n7.state().isDeadOrLeft(), m.name() + " believes n7 is back: " + n7));
                assertFalse(
                        m.events().since(marks.get(m.name())).stream().anyMatch(event(MemberEvent.Type.JOIN, "n7")),
                        m.name() + " saw n7 join again");
            }
            for (TestCluster.Member m : rightStaying) {
                assertFalse(
                        m.events().any(event(MemberEvent.Type.FAILED, "n7")),
                        m.name() + " declared n7 failed although it saw it leave");
                m.view().get("n7").ifPresent(n7 -> assertEquals(NodeState.LEFT, n7.state(), m.name()));
            }
        }
    }

    /** Waits until every one of {@code observers} has seen every one of {@code failed} declared failed. */
    private static void awaitFailedEverywhere(List<TestCluster.Member> observers, List<TestCluster.Member> failed) {
        kit.createTestProbe().awaitAssert(DETECT, Duration.ofMillis(100), () -> {
            for (TestCluster.Member o : observers) {
                for (TestCluster.Member f : failed) {
                    assertTrue(
                            o.events().any(event(MemberEvent.Type.FAILED, f.name())),
                            o.name() + " has not seen " + f.name() + " fail");
                }
            }
            return null;
        });
    }

    /** Asserts that none of {@code observers} declared any of {@code healthy} failed, naming every false failure. */
    private static void assertNoFailures(List<TestCluster.Member> observers, List<TestCluster.Member> healthy) {
        List<String> names = healthy.stream().map(TestCluster.Member::name).toList();
        List<String> falseFailures = new ArrayList<>();
        for (TestCluster.Member o : observers) {
            for (MemberEvent e : o.events().matching(e -> e.type() == MemberEvent.Type.FAILED)) {
                if (names.contains(e.member().name())) {
                    falseFailures.add(o.name() + " declared " + e.member().name() + " failed");
                }
            }
        }
        assertEquals(List.of(), falseFailures, "healthy members declared failed");
    }

    /** The highest incarnation of each member that any member has seen. */
    private static Map<String, Long> highestIncarnations(List<TestCluster.Member> all) {
        Map<String, Long> highest = new HashMap<>();
        for (TestCluster.Member m : all) {
            for (Member seen : m.view().all()) {
                highest.merge(seen.name(), seen.incarnation(), Math::max);
            }
        }
        return highest;
    }

    /** Each member's event count now, to look at what comes after. */
    private static Map<String, Integer> marks(List<TestCluster.Member> who) {
        Map<String, Integer> marks = new HashMap<>();
        for (TestCluster.Member m : who) {
            marks.put(m.name(), m.events().size());
        }
        return marks;
    }
}
