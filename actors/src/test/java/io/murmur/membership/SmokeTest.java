package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.murmur.protocol.Address;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SmokeTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    @Test
    void threeNodesConverge() throws Exception {
        MemoryNetwork net = new MemoryNetwork(7);
        MembershipConfig cfg = MembershipConfig.local().toBuilder()
                .probeInterval(Duration.ofMillis(200))
                .probeTimeout(Duration.ofMillis(50))
                .gossipInterval(Duration.ofMillis(20))
                .build();
        List<MurmurNode> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Address a = new Address("10.0.0." + i, 7946);
            nodes.add(MurmurNode.start(testKit.system(), NodeSettings.of("n" + i, a, cfg), net.bind(a)));
        }
        for (int i = 1; i < 3; i++) {
            JoinResult r = nodes.get(i)
                    .join(nodes.get(0).address())
                    .toCompletableFuture()
                    .get();
            assertEquals(1, r.joined());
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (MurmurNode n : nodes) {
                all &= n.members().toCompletableFuture().get().aliveCount() == 3;
            }
            if (all) break;
            Thread.onSpinWait();
        }
        for (MurmurNode n : nodes) {
            System.out.println(
                    n.address() + " " + n.members().toCompletableFuture().get().all() + " drops="
                            + n.stats().drops() + " " + n.stats().messagesReceived);
        }
        for (MurmurNode n : nodes) {
            assertEquals(3, n.members().toCompletableFuture().get().aliveCount());
        }
        nodes.get(2).stop().toCompletableFuture().get();
        deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (nodes.get(0).members().toCompletableFuture().get().aliveCount() == 2
                    && nodes.get(1).members().toCompletableFuture().get().aliveCount() == 2) break;
        }
        System.out.println(nodes.get(0).members().toCompletableFuture().get().all());
        assertEquals(2, nodes.get(0).members().toCompletableFuture().get().aliveCount());
    }
}
