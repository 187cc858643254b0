package io.murmur.simulation;

import static io.murmur.simulation.TestCluster.addressOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.Member;
import io.murmur.membership.MemberEvent;
import io.murmur.membership.MemberView;
import io.murmur.protocol.Address;
import io.murmur.protocol.CidrAllowList;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Keyring;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.Rejection;
import io.murmur.protocol.SecuritySettings;
import io.murmur.transport.Transport;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Wire security with the real node actors over the in-memory network: keys, labels, the rolling path from plaintext
 * to encryption (flags flipped at runtime, node by node), key rotation under loss, and the CIDR allow-list.
 */
class SecureMembershipTest {

    static final ActorTestKit kit = ActorTestKit.create("secure-membership");
    static final Duration CONVERGE = Duration.ofSeconds(20);

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static long seed(String test) {
        long seed = Long.getLong("murmur.test.seed", new Random().nextLong());
        System.out.println("SecureMembershipTest." + test + " seed=" + seed);
        return seed;
    }

    static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    /** Each node gets its own keyring object holding {@code keys}, as separate processes would. */
    static SecuritySettings encrypted(byte[]... keys) {
        return SecuritySettings.encrypted(Keyring.of(List.of(keys)));
    }

    private static Set<String> names(MemberView v) {
        return v.all().stream().map(Member::name).collect(Collectors.toSet());
    }

    private static void assertNoFailures(List<TestCluster.Member> who) {
        List<String> failures = new ArrayList<>();
        for (TestCluster.Member m : who) {
            for (MemberEvent e : m.events().matching(e -> e.type() == MemberEvent.Type.FAILED)) {
                failures.add(m.name() + " declared " + e.member().name() + " failed");
            }
        }
        assertEquals(List.of(), failures, "members declared failed");
    }

    private static long drops(List<TestCluster.Member> who, Rejection reason) {
        return who.stream().mapToLong(m -> m.node().stats().droppedFor(reason)).sum();
    }

    private static List<TestCluster.Member> startAll(TestCluster c, int n, SecuritySettings security) {
        List<TestCluster.Member> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(c.start("n" + i, addressOf(i), security));
        }
        return all;
    }

    @Test
    void aNodeWithTheWrongKeyCannotJoinAndIsSeenByNoOne() {
        long seed = seed("wrongKey");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = TestCluster.inMemory(kit, net, TestCluster.fastConfig(), seed)) {
            List<TestCluster.Member> cluster = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                cluster.add(c.start("n" + i, addressOf(i), encrypted(key(1))));
            }
            c.joinAllThroughFirst();
            c.awaitAlive(cluster, 3, CONVERGE);
            TestCluster.Member intruder = c.start("intruder", addressOf(9), encrypted(key(2)));
            assertEquals(
                    0,
                    intruder.node()
                            .join(cluster.get(0).address())
                            .toCompletableFuture()
                            .join()
                            .joined());
            c.idle(Duration.ofSeconds(1));
            for (TestCluster.Member m : cluster) {
                assertEquals(Set.of("n0", "n1", "n2"), names(m.view()), m.name());
            }
            assertEquals(Set.of("intruder"), names(intruder.view()));
            assertTrue(cluster.get(0).node().stats().droppedFor(Rejection.DECRYPTION_FAILED) > 0, "no drop counted");
        }
    }

    @Test
    void clustersWithDifferentLabelsOnReusedAddressesNeverMerge() {
        long seed = seed("labels");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = TestCluster.inMemory(kit, net, TestCluster.fastConfig(), seed)) {
            SecuritySettings blue = SecuritySettings.NONE.withLabel("blue");
            SecuritySettings green = SecuritySettings.NONE.withLabel("green");
            List<TestCluster.Member> blues = new ArrayList<>();
            List<TestCluster.Member> greens = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                blues.add(c.start("b" + i, addressOf(i), blue));
                greens.add(c.start("g" + i, addressOf(10 + i), green));
            }
            for (List<TestCluster.Member> side : List.of(blues, greens)) {
                for (TestCluster.Member m : side.subList(1, 3)) {
                    m.node().join(side.get(0).address()).toCompletableFuture().join();
                }
            }
            c.awaitAlive(blues, 3, CONVERGE);
            c.awaitAlive(greens, 3, CONVERGE);
            // b2 goes away and a green node takes its address (an IP reused by the other cluster): the blues keep
            // probing and gossiping to it. And each cluster is given the other's seed, as a misconfiguration would.
            Address reused = blues.get(2).address();
            blues.get(2).node().stop().toCompletableFuture().join();
            TestCluster.Member g3 = c.start("g3", reused, green);
            g3.node().join(greens.get(0).address()).toCompletableFuture().join();
            assertEquals(
                    0,
                    greens.get(1)
                            .node()
                            .join(blues.get(0).address())
                            .toCompletableFuture()
                            .join()
                            .joined());
            assertEquals(
                    0,
                    blues.get(1)
                            .node()
                            .join(greens.get(0).address())
                            .toCompletableFuture()
                            .join()
                            .joined());
            List<TestCluster.Member> allGreens = new ArrayList<>(greens);
            allGreens.add(g3);
            c.awaitAlive(allGreens, 4, CONVERGE);
            c.idle(Duration.ofSeconds(2));
            for (TestCluster.Member m : blues.subList(0, 2)) {
                assertTrue(
                        names(m.view()).stream().allMatch(n -> n.startsWith("b")),
                        m.name() + " " + m.view().all());
            }
            for (TestCluster.Member m : allGreens) {
                assertTrue(
                        names(m.view()).stream().allMatch(n -> n.startsWith("g")),
                        m.name() + " " + m.view().all());
            }
            assertTrue(drops(c.all(), Rejection.WRONG_LABEL) > 0, "no wrong-label drop counted");
            System.out.println("labels: " + drops(c.all(), Rejection.WRONG_LABEL) + " wrong-label drops");
        }
    }

    @Test
    void aPlaintextClusterMovesToEncryptionByTheRollingPathWithoutAFailure() {
        long seed = seed("rollingPath");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = TestCluster.inMemory(kit, net, FaultyNetworkMembershipTest.config(), seed)) {
            // Step 1 (at start, as a rolling restart would do it): every node holds the key, sends plaintext.
            List<SecuritySettings> initial = new ArrayList<>();
            List<TestCluster.Member> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                initial.add(encrypted(key(1)).withVerify(false, false));
                all.add(c.start("n" + i, addressOf(i), initial.get(i)));
            }
            c.joinAllThroughFirst();
            c.awaitAlive(all, 6, CONVERGE);
            // Step 2, node by node at runtime: verify-outgoing on; the others decrypt it and still accept plaintext.
            // Step 3, the same way once step 2 is done everywhere: verify-incoming on.
            for (boolean incoming : new boolean[] {false, true}) {
                for (int i = 0; i < all.size(); i++) {
                    // reconfigure keeps the keyring object the node started with
                    all.get(i)
                            .node()
                            .setSecurity(initial.get(i).withVerify(incoming, true))
                            .toCompletableFuture()
                            .join();
                    c.idle(Duration.ofMillis(500)); // a probe round with the cluster partly switched
                }
                c.awaitAlive(all, 6, CONVERGE);
            }
            c.idle(Duration.ofSeconds(3));
            c.awaitAlive(all, 6, CONVERGE);
            assertNoFailures(all);
            assertEquals(0, drops(all, Rejection.NOT_ENCRYPTED), "plaintext was refused while rolling");
            assertEquals(0, drops(all, Rejection.DECRYPTION_FAILED));
            // The end state refuses plaintext: a node without the key cannot join.
            TestCluster.Member plain = c.start("plain", addressOf(20), SecuritySettings.NONE);
            assertEquals(
                    0,
                    plain.node()
                            .join(all.get(0).address())
                            .toCompletableFuture()
                            .join()
                            .joined());
            assertTrue(all.get(0).node().stats().droppedFor(Rejection.NOT_ENCRYPTED) > 0);
        }
    }

    @Test
    void tenEncryptedNodesRotateTheirKeyUnderTenPercentLossWithoutAFailure() {
        long seed = seed("rotation");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = TestCluster.inMemory(kit, net, FaultyNetworkMembershipTest.config(), seed)) {
            net.loss(0.10);
            List<Keyring> rings = new ArrayList<>();
            List<TestCluster.Member> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Keyring ring = Keyring.of(List.of(key(1)));
                rings.add(ring);
                all.add(c.start("n" + i, addressOf(i), SecuritySettings.encrypted(ring)));
            }
            c.joinAllThroughFirst();
            c.awaitAlive(all, 10, CONVERGE);
            // Serf's rotation, each step on every node before the next: install, use, remove.
            rings.forEach(r -> r.install(key(2)));
            c.idle(Duration.ofSeconds(1));
            for (Keyring r : rings) {
                r.use(key(2));
                c.idle(Duration.ofMillis(200)); // packets sealed with the new key reach nodes still using the old
            }
            c.idle(Duration.ofSeconds(1));
            rings.forEach(r -> r.remove(key(1)));
            c.idle(Duration.ofSeconds(5));
            c.awaitAlive(all, 10, CONVERGE);
            assertNoFailures(all);
            long failed = drops(all, Rejection.DECRYPTION_FAILED);
            System.out.println("rotation: " + net.stats().packetsLost.sum() + " packets lost, " + failed
                    + " decryption failures (packets in flight across a step)");
            assertTrue(failed <= 5, failed + " decryption failures");
            // The old key no longer opens anything.
            TestCluster.Member old = c.start("old", addressOf(30), encrypted(key(1)));
            assertEquals(
                    0,
                    old.node()
                            .join(all.get(0).address())
                            .toCompletableFuture()
                            .join()
                            .joined());
        }
    }

    @Test
    void aNodeOutsideTheAllowListIsDroppedAndCounted() {
        long seed = seed("cidr");
        try (MemoryNetwork net = new MemoryNetwork(seed);
                TestCluster c = TestCluster.inMemory(kit, net, TestCluster.fastConfig(), seed)) {
            SecuritySettings inside = SecuritySettings.NONE.withAllowedCidrs(CidrAllowList.of("10.0.0.0/24"));
            List<TestCluster.Member> all = startAll(c, 3, inside);
            c.joinAllThroughFirst();
            c.awaitAlive(all, 3, CONVERGE);
            TestCluster.Member outsider = c.start("outsider", new Address("192.168.7.7", 7946), SecuritySettings.NONE);
            assertEquals(
                    0,
                    outsider.node()
                            .join(all.get(0).address())
                            .toCompletableFuture()
                            .join()
                            .joined());
            Transport raw = net.bind(new Address("172.16.0.1", 7946));
            raw.start(new Transport.Listener() {
                @Override
                public void onPacket(Address from, byte[] packet) {}

                @Override
                public java.util.concurrent.CompletionStage<byte[]> onRequest(Address from, byte[] request) {
                    return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException());
                }
            });
            raw.send(
                    all.get(1).address(),
                    new Codec().frame(new Ping(1, "n1", "stranger", new Address("172.16.0.1", 7946))));
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
                assertTrue(all.get(0).node().stats().droppedFor(Rejection.NOT_ALLOWED) > 0);
                assertTrue(all.get(1).node().stats().droppedFor(Rejection.NOT_ALLOWED) > 0);
                return null;
            });
            c.idle(Duration.ofSeconds(1));
            for (TestCluster.Member m : all) {
                assertEquals(Set.of("n0", "n1", "n2"), names(m.view()), m.name());
            }
            raw.close();
        }
    }
}
