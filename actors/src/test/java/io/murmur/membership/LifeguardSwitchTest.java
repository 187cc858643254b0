package io.murmur.membership;

import static io.murmur.membership.CoreFixtures.MS;
import static io.murmur.membership.CoreFixtures.info;
import static io.murmur.membership.CoreFixtures.only;
import static io.murmur.membership.CoreFixtures.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Codec;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.IndirectPing;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.NodeState;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** With {@code lifeguard = off} the cores behave as plain SWIM; and cores can start inside a known cluster. */
class LifeguardSwitchTest {

    static final MembershipConfig OFF =
            MembershipConfig.lan().toBuilder().lifeguard(false).build();

    @Test
    void withoutLifeguardTheSuspicionTimeoutIsFixedAtTheMinimum() {
        MemberTable table = new MemberTable(info("self"), OFF);
        table.start(0);
        for (String n : List.of("a", "b", "c", "d", "e")) {
            table.apply(new Alive(1, info(n)), 0);
        }
        Effect.StartSuspicion s = single(table.apply(new Suspect(1, "a", "b"), 0), Effect.StartSuspicion.class);
        assertEquals(0, s.confirmationsNeeded());
        assertEquals(s.minNanos(), s.maxNanos());
        assertEquals(4000 * MS, s.minNanos()); // lan, 6 members: 4 * max(1, log10 6) * 1 s
    }

    @Test
    void withoutLifeguardHealthStaysZeroAndIndirectPingsAskForNoNack() {
        Prober prober = new Prober(info("self"), OFF, new SplittableRandom(1));
        MemberView view = MemberView.empty();
        for (String n : List.of("self", "a", "b", "c", "d")) {
            view = view.with(new Member(info(n), 1, NodeState.ALIVE, 0));
        }
        prober.follow(view);
        prober.adjustHealth(3);
        assertEquals(0, prober.healthScore());
        List<Effect> round = prober.onTimer(Prober.ProbeTick.INSTANCE, 0);
        Ping ping = (Ping) single(round, Effect.Send.class).messages().get(0);
        List<Effect> indirect = prober.onTimer(new Prober.AckTimeout(ping.seqNo()), 500 * MS);
        assertFalse(indirect.isEmpty());
        for (Effect.Send send : only(indirect, Effect.Send.class)) {
            assertFalse(((IndirectPing) send.messages().get(0)).nack());
        }
        prober.onTimer(Prober.ProbeTick.INSTANCE, 1000 * MS); // the failed round would raise health with Lifeguard
        assertEquals(0, prober.healthScore());
    }

    @Test
    void withoutLifeguardAProbeOfASuspectCarriesNoSuspicion() {
        Prober prober = new Prober(info("self"), OFF, new SplittableRandom(1));
        MemberView view = MemberView.empty()
                .with(new Member(info("self"), 1, NodeState.ALIVE, 0))
                .with(new Member(info("a"), 1, NodeState.SUSPECT, 0));
        prober.follow(view);
        Effect.Send send = single(prober.onTimer(Prober.ProbeTick.INSTANCE, 0), Effect.Send.class);
        assertEquals(1, send.messages().size());
    }

    @Test
    void coresStartInsideAKnownClusterSharingItsView() {
        MemberView cluster = MemberView.empty();
        for (int i = 0; i < 100; i++) {
            cluster = cluster.with(new Member(info("n" + i), 1, NodeState.ALIVE, 0));
        }
        NodeSettings settings = new NodeSettings(info("n7"), MembershipConfig.lan(), 7);
        NodeCores cores = NodeCores.startIn(settings, new Codec(), cluster, 0);
        assertTrue(cores.table.view() == cluster, "the view is shared, not copied");
        assertEquals(1, cores.table.incarnation());
        assertTrue(cores.startEffects().isEmpty());
        // Its first probe goes to another member of the cluster.
        Effect.Send send = single(cores.prober.onTimer(Prober.ProbeTick.INSTANCE, 0), Effect.Send.class);
        assertFalse(send.to().equals(info("n7").address()));
        NodeSettings stranger = new NodeSettings(info("x"), MembershipConfig.lan(), 8);
        MemberView known = cluster;
        assertThrows(IllegalArgumentException.class, () -> NodeCores.startIn(stranger, new Codec(), known, 0));
    }
}
