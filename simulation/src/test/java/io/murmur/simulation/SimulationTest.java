package io.murmur.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.MembershipConfig;
import io.murmur.protocol.NodeState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The simulator runs the real cores: same seed, same run; the scenarios measure what they say. */
class SimulationTest {

    static final MembershipConfig LAN = MembershipConfig.lan();

    @Test
    void sameSeedAndScenarioGiveTheSameTrace() {
        RunResult a = Scenario.fail(40, Duration.ofSeconds(30)).config(LAN).run(7, null);
        RunResult b = Scenario.fail(40, Duration.ofSeconds(30)).config(LAN).run(7, null);
        assertEquals(a.traceHash(), b.traceHash());
        assertEquals(a.events(), b.events());
        assertEquals(a.failAllDetectSeconds(), b.failAllDetectSeconds());
        assertEquals(a.bytesPerNodePerSecond(), b.bytesPerNodePerSecond());
        RunResult c = Scenario.fail(40, Duration.ofSeconds(30)).config(LAN).run(8, null);
        assertNotEquals(a.traceHash(), c.traceHash());
    }

    @Test
    void aCrashIsDetectedByEveryOtherNodeAndNoHealthyMemberFails() {
        RunResult r = Scenario.fail(50, Duration.ofSeconds(40)).config(LAN).run(1, null);
        assertEquals(49, r.detection().reached(), "nodes that declared the victim failed");
        // lan, 50 members: the suspicion minimum is 4 * log10(50) * 1 s = 6.8 s; detection cannot beat it.
        assertTrue(r.failFirstDetectSeconds() > 6.7, "first detection " + r.failFirstDetectSeconds());
        assertTrue(r.failAllDetectSeconds() < 20, "detection by all " + r.failAllDetectSeconds());
        assertEquals(0, r.falsePositives());
        assertEquals(r.convergeSeconds(), r.failAllDetectSeconds(), 1e-9);
    }

    @Test
    void aMassJoinConverges() {
        RunResult r = Scenario.join(60, Duration.ofSeconds(60))
                .config(MembershipConfig.local())
                .run(2, null);
        assertEquals(60, r.convergence().reached());
        assertTrue(r.convergeSeconds() < 5, "converged in " + r.convergeSeconds());
        assertTrue(r.simSeconds() < 60, "the run stops once converged");
    }

    @Test
    void aHealedPartitionBecomesOneClusterAgain() {
        RunResult r = Scenario.partition(20, MembershipConfig.local(), null)
                .config(MembershipConfig.local())
                .run(3, null);
        assertEquals(20, r.convergence().reached(), "nodes that saw the whole cluster again after the heal");
        assertTrue(r.failuresOfHarmed() > 0, "each half saw the other fail");
    }

    @Test
    void oneBroadcastReachesEveryNode() {
        RunResult r =
                Scenario.broadcast(200, Duration.ofSeconds(30)).config(LAN).run(4, null);
        assertEquals(199, r.convergence().reached());
        assertTrue(r.convergeSeconds(0.5) < r.convergeSeconds(), "a curve, not a step");
        assertTrue(r.convergeSeconds() < 5, "reached everyone in " + r.convergeSeconds());
        assertNull(r.detection());
    }

    @Test
    void packetLossSlowsButDoesNotStopDetection() {
        RunResult clean = Scenario.fail(30, Duration.ofSeconds(40)).config(LAN).run(5, null);
        Scenario lossy = Scenario.fail(30, Duration.ofSeconds(40)).config(LAN);
        lossy.network(net -> net.loss(0.1));
        RunResult r = lossy.run(5, null);
        assertEquals(29, r.detection().reached());
        assertEquals(0, r.falsePositives(), "10 % loss must not fail a healthy member");
        assertTrue(r.msgsPerNodePerSecond() > 0);
        assertNotEquals(clean.traceHash(), r.traceHash());
    }

    @Test
    void aPausedNodeIsSuspectedThenRefutesWithoutBeingDeclaredDead() {
        Simulation sim = new Simulation(9, LAN);
        sim.startConverged(20);
        sim.runFor(Duration.ofSeconds(5));
        // 3 s: long enough to be probed and suspected, far shorter than the suspicion timeout (lan: 5.2 s to 31 s).
        sim.pause(3, Duration.ofSeconds(3).toNanos());
        sim.runFor(Duration.ofSeconds(30));
        for (SimNode n : sim.nodes()) {
            var m = n.view().get("n3").orElseThrow();
            assertEquals(NodeState.ALIVE, m.state(), n.name());
            assertTrue(m.incarnation() >= 2, n.name() + " never saw n3 refute");
        }
    }

    @Test
    void aPausedNodeRunsItsOverdueTimersBeforeItReadsItsSocket() {
        Simulation sim = new Simulation(10, LAN);
        sim.startConverged(2);
        SimNode n = sim.node(0);
        StringBuilder order = new StringBuilder();
        sim.runFor(Duration.ofSeconds(1));
        n.pause(Duration.ofSeconds(1).toNanos());
        n.deliver(() -> order.append("packet "), true);
        n.deliver(() -> order.append("timer "), false);
        assertEquals("", order.toString());
        sim.runFor(Duration.ofSeconds(2));
        assertEquals("timer packet ", order.toString());
    }

    @Test
    void aCrashedNodeDoesNothingAndARestartedOneRejoins() {
        Simulation sim = new Simulation(11, MembershipConfig.local());
        sim.startConverged(10);
        sim.runFor(Duration.ofSeconds(2));
        sim.crash(4);
        sim.runFor(Duration.ofSeconds(30));
        assertTrue(
                sim.node(0).view().get("n4").map(m -> m.state().isDeadOrLeft()).orElse(true));
        sim.restart(4, 0);
        sim.runFor(Duration.ofSeconds(10));
        for (SimNode n : sim.nodes()) {
            assertEquals(10, n.view().aliveCount(), n.name() + " sees " + n.view());
        }
    }

    @Test
    void withoutLifeguardTheSuspicionTimeoutIsTheMinimumFromTheStart() {
        MembershipConfig off = LAN.toBuilder().lifeguard(false).build();
        RunResult r = Scenario.fail(50, Duration.ofSeconds(40)).config(off).run(1, null);
        assertFalse(r.config().lifeguard());
        assertEquals(49, r.detection().reached());
    }
}
