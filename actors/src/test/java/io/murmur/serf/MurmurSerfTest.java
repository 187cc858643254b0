package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Bytes;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The non-actor facade over three serf nodes on the in-memory network: join, members, events, queries, stop. */
class MurmurSerfTest {

    static final ActorTestKit kit = ActorTestKit.create("murmur-serf");
    static final Duration WAIT = Duration.ofSeconds(20);

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A node whose event stream goes to {@code probe} and which answers every query with its name. */
    private static MurmurSerf start(
            MemoryNetwork net, int i, long seed, TestProbe<SerfEvent> probe, List<CompletionStage<Done>> streams) {
        ActorSystem<Void> system = kit.system();
        String name = "m" + i;
        NodeSettings node = NodeSettings.of(name, SerfTestCluster.addressOf(i), SerfTestCluster.membershipConfig())
                .withSeed(seed * 31 + i);
        MurmurSerf serf = MurmurSerf.start(system, SerfSettings.of(node), net.bind(SerfTestCluster.addressOf(i)));
        streams.add(serf.events()
                .runForeach(
                        e -> {
                            if (e instanceof SerfEvent.Query q) {
                                serf.respond(q, Bytes.utf8(name));
                            }
                            probe.getRef().tell(e);
                        },
                        system));
        return serf;
    }

    @Test
    void threeNodesJoinSeeEachOtherDeliverAnEventAndAnswerAQuery() throws Exception {
        long seed = Long.getLong("murmur.test.seed", new Random().nextLong());
        System.out.println("MurmurSerfTest seed=" + seed);
        try (MemoryNetwork net = new MemoryNetwork(seed)) {
            List<TestProbe<SerfEvent>> probes = new ArrayList<>();
            List<CompletionStage<Done>> streams = new ArrayList<>();
            List<MurmurSerf> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                probes.add(kit.createTestProbe());
                nodes.add(start(net, i, seed, probes.get(i), streams));
            }
            for (MurmurSerf n : nodes.subList(1, 3)) {
                assertEquals(
                        1, await(n.join(List.of(nodes.get(0).address()), false)).joined());
            }
            kit.createTestProbe().awaitAssert(WAIT, Duration.ofMillis(50), () -> {
                for (MurmurSerf n : nodes) {
                    List<SerfMember> members = await(n.members());
                    assertEquals(
                            3,
                            members.stream()
                                    .filter(m -> m.status() == MemberStatus.ALIVE)
                                    .count(),
                            n.name() + " sees " + members);
                }
                return null;
            });

            await(nodes.get(0).userEvent("deploy", Bytes.utf8("v42"), false));
            for (TestProbe<SerfEvent> probe : probes) {
                probe.fishForMessage(
                        WAIT,
                        e -> e instanceof SerfEvent.User u
                                        && u.name().equals("deploy")
                                        && u.payload().equals(Bytes.utf8("v42"))
                                ? FishingOutcomes.complete()
                                : FishingOutcomes.continueAndIgnore());
            }

            MurmurSerf.QueryResult result = await(nodes.get(0).query("whoami", Bytes.EMPTY, QueryParams.all()));
            assertEquals(
                    Map.of("m0", Bytes.utf8("m0"), "m1", Bytes.utf8("m1"), "m2", Bytes.utf8("m2")), result.responses());
            assertFalse(result.timedOut(), result.done().toString());
            assertEquals(3, result.done().responses());

            for (MurmurSerf n : nodes) {
                await(n.stop());
                await(n.stop()); // idempotent
            }
            for (CompletionStage<Done> stream : streams) {
                await(stream); // each event stream completes when its node stops
            }
        }
    }

    @Test
    void aQueryOfAStoppedNodeFails() throws Exception {
        try (MemoryNetwork net = new MemoryNetwork(7)) {
            MurmurSerf serf = start(net, 9, 7, kit.createTestProbe(), new ArrayList<>());
            await(serf.stop());
            CompletableFuture<MurmurSerf.QueryResult> result =
                    serf.query("q", Bytes.EMPTY, QueryParams.all()).toCompletableFuture();
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(result));
            assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        }
    }
}
