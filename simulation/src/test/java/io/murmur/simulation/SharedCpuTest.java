package io.murmur.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.MembershipConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nodes on one machine share its cores: work waits for its node and for a core, costs its time, delays its sends. */
class SharedCpuTest {

    private static final long MS = 1_000_000;

    private static Simulation machine(int nodes, CpuModel model) {
        Simulation sim = new Simulation(1, MembershipConfig.local()).cpu(model);
        sim.startAlone(nodes);
        return sim;
    }

    @Test
    void workBeyondTheCoresWaitsForAFreeOne() {
        Simulation sim = machine(3, new CpuModel(2, MS, 0));
        List<Long> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sim.node(i).deliver(() -> started.add(sim.now()), true, 100);
        }
        sim.runUntil(10 * MS);
        assertEquals(List.of(0L, 0L, MS), started, "two cores run two nodes at once, the third waits");
        assertTrue(sim.cpuBusyNanos() >= 3 * MS);
    }

    @Test
    void aNodeHandlesOnePieceAtATimeEvenWithIdleCores() {
        Simulation sim = machine(2, new CpuModel(2, MS, 0));
        List<Long> started = new ArrayList<>();
        sim.node(0).deliver(() -> started.add(sim.now()), true, 0);
        sim.node(0).deliver(() -> started.add(sim.now()), true, 0);
        sim.runUntil(10 * MS);
        assertEquals(List.of(0L, MS), started);
    }

    @Test
    void theCostGrowsWithTheBytesReceived() {
        Simulation sim = machine(1, new CpuModel(1, MS, 1000));
        List<Long> started = new ArrayList<>();
        sim.node(0).deliver(() -> started.add(sim.now()), true, 2_000);
        sim.node(0).deliver(() -> started.add(sim.now()), true, 0);
        sim.runUntil(10 * MS);
        assertEquals(List.of(0L, 3 * MS), started, "1 ms per piece and 1 µs per byte");
    }

    @Test
    void whatAPieceSendsLeavesOnceItsCostSoFarIsSpentAndSendingCostsToo() {
        Simulation sim = machine(1, new CpuModel(1, 2 * MS, 1000));
        List<Long> leaves = new ArrayList<>();
        List<Long> started = new ArrayList<>();
        sim.node(0)
                .deliver(
                        () -> {
                            leaves.add(sim.node(0).chargeSend(new CpuModel(1, 0, 1000).send(500)));
                            leaves.add(sim.node(0).chargeSend(new CpuModel(1, 0, 1000).send(500)));
                        },
                        true,
                        0);
        sim.node(0).deliver(() -> started.add(sim.now()), false, 0);
        sim.runUntil(10 * MS);
        assertEquals(List.of(2 * MS + MS / 2, 3 * MS), leaves, "each send leaves after what was spent before it");
        assertEquals(List.of(3 * MS), started, "the sends made the piece cost 3 ms");
    }

    @Test
    void aColdJvmHoldsOneCoreForItsStartUpWork() {
        Simulation sim = machine(2, new CpuModel(2, MS, 0, 5 * MS));
        List<Long> started = new ArrayList<>();
        sim.node(0).deliver(() -> started.add(sim.now()), true, 0);
        sim.node(1).deliver(() -> started.add(sim.now()), true, 0);
        sim.runUntil(10 * MS);
        assertEquals(List.of(0L, MS), started, "one core is left to the nodes until the start-up work is done");
    }

    @Test
    void aFreshJvmHandlesItsFirstPacketsSlowlyAndTimersAtFullSpeed() {
        // 1 ms per piece; the first packet 4 ms more, fading by e every 2 packets
        Simulation sim = machine(1, new CpuModel(1, MS, 0).withColdPackets(4 * MS, 2));
        List<Long> started = new ArrayList<>();
        sim.node(0).deliver(() -> started.add(sim.now()), false, 0); // a timer: 1 ms
        for (int i = 0; i < 4; i++) {
            sim.node(0).deliver(() -> started.add(sim.now()), true, 0);
        }
        sim.runUntil(100 * MS);
        java.util.function.LongUnaryOperator packet = k -> MS + (long) (4 * MS * Math.exp(-k / 2.0));
        long p0 = MS; // after the timer
        long p1 = p0 + packet.applyAsLong(0); // 5 ms later
        long p2 = p1 + packet.applyAsLong(1);
        long p3 = p2 + packet.applyAsLong(2);
        assertEquals(
                List.of(0L, p0, p1, p2, p3),
                started,
                "each packet costs 1 ms plus 4 ms × e^(−k/2) for the k packets before it");
    }

    @Test
    void theTransportHoldsACoreForEachPacketButNoNodeWaitsForIt() {
        CpuModel.Cost transport = new CpuModel.Cost(2 * MS, 0, 0, 1);
        for (int cores = 1; cores <= 2; cores++) {
            Simulation sim = machine(1, new CpuModel(cores, MS, 0).withTransport(transport));
            List<Long> started = new ArrayList<>();
            sim.node(0).deliver(() -> started.add(sim.now()), true, 0);
            sim.node(0).deliver(() -> started.add(sim.now()), true, 0);
            sim.node(0).deliver(() -> started.add(sim.now()), false, 0); // a timer gives the transport nothing
            sim.runUntil(100 * MS);
            if (cores == 1) {
                // node, transport (its first packet), node, transport (its second), node
                assertEquals(List.of(0L, 3 * MS, 6 * MS), started, "one core: the node queues behind the transport");
            } else {
                assertEquals(List.of(0L, MS, 2 * MS), started, "a second core takes the transport's work");
            }
            assertTrue(sim.cpuBusyNanos() >= 3 * MS + 2 * 2 * MS, "three pieces and two packets' transport work");
        }
    }

    @Test
    void withoutAModelWorkRunsAtOnce() {
        Simulation sim = new Simulation(1, MembershipConfig.local());
        sim.startAlone(1);
        List<Long> started = new ArrayList<>();
        sim.runUntil(5 * MS);
        sim.node(0).deliver(() -> started.add(sim.now()), true, 10_000);
        assertEquals(List.of(5 * MS), started);
        assertEquals(0, sim.cpuBusyNanos());
    }

    @Test
    void theAeronModelReplaysExactlyAndIsSlowerThanTheIdealNetwork() {
        java.util.function.Supplier<Scenario> aeron = () -> {
            Scenario s = Scenario.join(30, java.time.Duration.ofSeconds(5)).config(MembershipConfig.local());
            Main.aeron(s);
            return s;
        };
        RunResult a = aeron.get().run(3, null);
        RunResult b = aeron.get().run(3, null);
        assertEquals(a.traceHash(), b.traceHash());
        RunResult ideal = Scenario.join(30, java.time.Duration.ofSeconds(5))
                .config(MembershipConfig.local())
                .run(3, null);
        assertTrue(
                a.convergeSeconds() > ideal.convergeSeconds(), a.convergeSeconds() + " vs " + ideal.convergeSeconds());
    }

    @Test
    void aMachineHasAtLeastOneCore() {
        assertThrows(IllegalArgumentException.class, () -> new CpuModel(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CpuModel(1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CpuModel(1, 1, 0).withColdPackets(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CpuModel(1, 1, 0).withColdPackets(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CpuModel.Cost(0, -1, 0, 1));
    }
}
