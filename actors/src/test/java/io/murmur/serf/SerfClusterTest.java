package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Bytes;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Serf nodes over an in-memory network with 10 % packet loss: tags, user events, queries and reaping as the whole
 * cluster sees them. Each test draws a seed (or takes {@code -Dmurmur.test.seed=S}) and prints it.
 */
class SerfClusterTest {

    static final ActorTestKit kit = ActorTestKit.create("serf-cluster");
    static final Duration CONVERGE = Duration.ofSeconds(30);

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static long seed(String test) {
        long seed = Long.getLong("murmur.test.seed", new Random().nextLong());
        System.out.println("SerfClusterTest." + test + " seed=" + seed);
        return seed;
    }

    @Test
    void aTagUpdateIsSeenEverywhereAsAMemberUpdate() {
        long seed = seed("tagUpdate");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                SerfTestCluster c = new SerfTestCluster(kit, net, seed, n -> SerfConfig.defaults())) {
            net.loss(0.10);
            List<SerfTestCluster.Member> all = c.start(10, i -> Map.of("role", "web"));
            c.joinAllThroughFirst();
            c.awaitAlive(all, 10, CONVERGE);
            TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
            all.get(3).serf().tell(new Serf.SetTags(Map.of("role", "db", "dc", "east"), ack.getRef()));
            assertTrue(ack.receiveMessage().isSuccess());
            kit.createTestProbe().awaitAssert(CONVERGE, Duration.ofMillis(100), () -> {
                for (SerfTestCluster.Member m : all) {
                    SerfMember s3 = c.members(m).stream()
                            .filter(s -> s.name().equals("s3"))
                            .findFirst()
                            .orElseThrow();
                    assertEquals(Map.of("role", "db", "dc", "east"), s3.tags(), m.name());
                    assertTrue(
                            m.memberEvents(SerfEvent.Type.MEMBER_UPDATE).stream()
                                    .anyMatch(e -> e.members().get(0).name().equals("s3")),
                            m.name() + " saw no member-update of s3");
                }
                return null;
            });
        }
    }

    @Test
    void aUserEventReachesEveryNodeExactlyOnceUnderLoss() {
        long seed = seed("userEvent");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                SerfTestCluster c = new SerfTestCluster(kit, net, seed, n -> SerfConfig.defaults())) {
            net.loss(0.10);
            int n = 20;
            List<SerfTestCluster.Member> all = c.start(n, i -> Map.of());
            c.joinAllThroughFirst();
            c.awaitAlive(all, n, CONVERGE);
            TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
            for (int i = 0; i < 5; i++) {
                all.get(i).serf().tell(new Serf.UserEvent("deploy", Bytes.utf8("v" + i), false, ack.getRef()));
                assertTrue(ack.receiveMessage().isSuccess());
            }
            kit.createTestProbe().awaitAssert(CONVERGE, Duration.ofMillis(100), () -> {
                for (SerfTestCluster.Member m : all) {
                    assertEquals(5, m.userEvents().size(), m.name() + " has " + m.userEvents());
                }
                return null;
            });
            // Gossip keeps flowing for a while (retransmits, push/pulls carry the event ring): still once each.
            c.awaitAlive(all, n, CONVERGE);
            kit.createTestProbe().expectNoMessage(Duration.ofSeconds(3));
            for (SerfTestCluster.Member m : all) {
                Set<String> payloads = new HashSet<>();
                for (SerfEvent.User e : m.userEvents()) {
                    assertTrue(payloads.add(e.payload().toString()), m.name() + " got " + e + " twice");
                }
                assertEquals(5, payloads.size());
            }
        }
    }

    @Test
    void aQueryWithATagFilterIsAnsweredByExactlyTheMatchingNodesUnderLoss() {
        long seed = seed("query");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                SerfTestCluster c = new SerfTestCluster(kit, net, seed, n -> SerfConfig.defaults())) {
            net.loss(0.10);
            int n = 20;
            List<SerfTestCluster.Member> all = c.start(n, i -> Map.of("role", i % 3 == 0 ? "db-primary" : "web"));
            c.joinAllThroughFirst();
            c.awaitAlive(all, n, CONVERGE);
            Set<String> matching = new HashSet<>();
            for (int i = 0; i < n; i++) {
                if (i % 3 == 0) {
                    matching.add("s" + i);
                }
            }
            for (int round = 0; round < 3; round++) {
                TestProbe<QueryReply> replies = kit.createTestProbe();
                QueryParams params =
                        QueryParams.all().withTag("role", "^db").withAck(true).withRelayFactor(1);
                all.get(1).serf().tell(new Serf.Query("who", Bytes.EMPTY, params, replies.getRef()));
                Set<String> responders = new HashSet<>();
                Set<String> ackers = new HashSet<>();
                QueryReply.Done done = null;
                while (done == null) {
                    QueryReply r = replies.receiveMessage(Duration.ofSeconds(10));
                    if (r instanceof QueryReply.Response resp) {
                        assertTrue(responders.add(resp.from()), "two responses from " + resp.from());
                        assertEquals(resp.from(), utf8(resp.payload()));
                    } else if (r instanceof QueryReply.Ack a) {
                        assertTrue(ackers.add(a.from()), "two acks from " + a.from());
                    } else if (r instanceof QueryReply.Done d) {
                        done = d;
                    } else {
                        throw new AssertionError("unexpected " + r);
                    }
                }
                assertEquals(matching, responders, "round " + round);
                assertTrue(matching.containsAll(ackers), "acks from non-matching nodes: " + ackers);
                assertFalse(done.timedOut(), "the query waited for its deadline: " + done);
                assertEquals(matching.size(), done.responses());
            }
        }
    }

    @Test
    void aFailedMemberIsReapedAfterTheReconnectTimeout() {
        long seed = seed("reap");
        SerfConfig fastReap =
                SerfConfig.defaults().withReaping(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(3));
        try (MemoryNetwork net = new MemoryNetwork(seed);
                SerfTestCluster c = new SerfTestCluster(kit, net, seed, n -> fastReap)) {
            int n = 5;
            List<SerfTestCluster.Member> all = c.start(n, i -> Map.of());
            c.joinAllThroughFirst();
            c.awaitAlive(all, n, CONVERGE);
            SerfTestCluster.Member victim = all.get(4);
            c.stop(victim);
            List<SerfTestCluster.Member> rest = new ArrayList<>(all.subList(0, 4));
            kit.createTestProbe().awaitAssert(CONVERGE, Duration.ofMillis(100), () -> {
                for (SerfTestCluster.Member m : rest) {
                    assertTrue(
                            m.memberEvents(SerfEvent.Type.MEMBER_FAILED).stream()
                                    .anyMatch(e -> e.members().get(0).name().equals(victim.name())),
                            m.name());
                    assertTrue(
                            m.memberEvents(SerfEvent.Type.MEMBER_REAP).stream()
                                    .anyMatch(e -> e.members().get(0).name().equals(victim.name())),
                            m.name());
                    assertTrue(c.members(m).stream().noneMatch(s -> s.name().equals(victim.name())), m.name());
                }
                return null;
            });
        }
    }

    @Test
    void aGracefulLeaveIsSeenAsLeftNotFailed() {
        long seed = seed("leave");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                SerfTestCluster c = new SerfTestCluster(kit, net, seed, n -> SerfConfig.defaults())) {
            net.loss(0.10);
            List<SerfTestCluster.Member> all = c.start(6, i -> Map.of());
            c.joinAllThroughFirst();
            c.awaitAlive(all, 6, CONVERGE);
            SerfTestCluster.Member leaver = all.get(5);
            TestProbe<StatusReply<Done>> left = kit.createTestProbe();
            leaver.serf().tell(new Serf.Leave(left.getRef()));
            assertTrue(left.receiveMessage(Duration.ofSeconds(15)).isSuccess());
            c.stop(leaver);
            List<SerfTestCluster.Member> rest = all.subList(0, 5);
            kit.createTestProbe().awaitAssert(CONVERGE, Duration.ofMillis(100), () -> {
                for (SerfTestCluster.Member m : rest) {
                    SerfMember seen = c.members(m).stream()
                            .filter(s -> s.name().equals(leaver.name()))
                            .findFirst()
                            .orElseThrow();
                    assertEquals(MemberStatus.LEFT, seen.status(), m.name());
                    assertTrue(
                            m.memberEvents(SerfEvent.Type.MEMBER_LEAVE).stream()
                                    .anyMatch(e -> e.members().get(0).name().equals(leaver.name())),
                            m.name());
                }
                return null;
            });
            for (SerfTestCluster.Member m : rest) {
                assertTrue(m.memberEvents(SerfEvent.Type.MEMBER_FAILED).isEmpty(), m.name() + " saw a failure");
            }
        }
    }

    private static String utf8(Bytes b) {
        return new String(b.toArray(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
