package io.murmur.membership;

import static io.murmur.membership.CoreFixtures.MS;
import static io.murmur.membership.CoreFixtures.SECOND;
import static io.murmur.membership.CoreFixtures.addressOf;
import static io.murmur.membership.CoreFixtures.alive;
import static io.murmur.membership.CoreFixtures.member;
import static io.murmur.membership.CoreFixtures.only;
import static io.murmur.membership.CoreFixtures.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Ack;
import io.murmur.protocol.Message.IndirectPing;
import io.murmur.protocol.Message.Nack;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.NodeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SWIM probing with Lifeguard (memberlist {@code probeNode}), driven tick by tick. */
class ProberTest {

    private static final String SELF = "self";
    private static final Address SELF_ADDRESS = addressOf(SELF);
    private static final long INTERVAL = SECOND; // LAN probe-interval
    private static final long TIMEOUT = 500 * MS; // LAN probe-timeout

    private Prober prober;
    private CoreFixtures.ViewFeed feed;
    private long now;

    @BeforeEach
    void setUp() {
        prober = new Prober(CoreFixtures.info(SELF), MembershipConfig.lan(), new SplittableRandom(42));
        feed = new CoreFixtures.ViewFeed(prober::onChange);
        feed.put(alive(SELF));
        now = 0;
    }

    /** The effects of the next probe round, one (unscaled) interval after the last. */
    private List<Effect> tick() {
        now += INTERVAL;
        return prober.onTimer(Prober.ProbeTick.INSTANCE, now);
    }

    /** The probe that a round's effects send: its ping. */
    private static Ping ping(List<Effect> round) {
        Effect.Send send = single(round, Effect.Send.class);
        return assertInstanceOf(Ping.class, send.messages().get(0));
    }

    private static String target(List<Effect> round) {
        return ping(round).target();
    }

    private static long nextRoundDelay(List<Effect> round) {
        return only(round, Effect.StartTimer.class).stream()
                .filter(t -> t.key() == Prober.ProbeTick.INSTANCE)
                .findFirst()
                .orElseThrow()
                .delayNanos();
    }

    private static List<Suspect> suspicions(List<Effect> round) {
        List<Suspect> out = new ArrayList<>();
        for (Effect.Apply a : only(round, Effect.Apply.class)) {
            out.add(assertInstanceOf(Suspect.class, a.update()));
        }
        return out;
    }

    private void members(String... names) {
        for (String n : names) {
            feed.put(alive(n));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the round-robin

    @Test
    void firstRoundIsStaggeredWithinOneInterval() {
        for (long seed = 0; seed < 50; seed++) {
            Prober p = new Prober(CoreFixtures.info(SELF), MembershipConfig.lan(), new SplittableRandom(seed));
            Effect.StartTimer t =
                    assertInstanceOf(Effect.StartTimer.class, p.start(0).get(0));
            assertEquals(Prober.ProbeTick.INSTANCE, t.key());
            assertTrue(t.delayNanos() >= 0 && t.delayNanos() < INTERVAL, "seed " + seed + ": " + t);
        }
    }

    @Test
    void roundWithNobodyToProbeOnlySchedulesTheNext() {
        List<Effect> round = tick();
        assertEquals(List.of(new Effect.StartTimer(Prober.ProbeTick.INSTANCE, INTERVAL)), round);
        assertEquals(0, prober.probes());
    }

    @Test
    void roundPingsTheNextMemberAndWaitsForTheProbeTimeout() {
        members("a");
        List<Effect> round = tick();

        Ping ping = ping(round);
        assertEquals(new Ping(ping.seqNo(), "a", SELF, SELF_ADDRESS), ping);
        assertEquals(addressOf("a"), single(round, Effect.Send.class).to());
        assertTrue(round.contains(new Effect.StartTimer(new Prober.AckTimeout(ping.seqNo()), TIMEOUT)));
        assertEquals(INTERVAL, nextRoundDelay(round));
        assertEquals(1, prober.probes());
    }

    @Test
    void roundRobinProbesEveryMemberOncePerPass() {
        members("a", "b", "c", "d", "e");
        Set<String> expected = Set.of("a", "b", "c", "d", "e");
        List<List<String>> passes = new ArrayList<>();
        for (int pass = 0; pass < 20; pass++) {
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                List<Effect> round = tick();
                order.add(target(round));
                prober.onAck(new Ack(ping(round).seqNo(), Bytes.EMPTY), now);
            }
            assertEquals(expected, new HashSet<>(order), "pass " + pass + ": " + order);
            passes.add(order);
        }
        assertTrue(new HashSet<>(passes).size() > 1, "the list is re-shuffled between passes: " + passes);
    }

    /** The target of a round, or null when the round found nobody to probe. */
    private static String targetOrNull(List<Effect> round) {
        return only(round, Effect.Send.class).isEmpty() ? null : target(round);
    }

    @Test
    void probeSkipsSelfDeadAndLeftMembers() {
        feed.put(alive("a"));
        feed.put(member("b", 1, NodeState.DEAD, 0));
        feed.put(member("c", 1, NodeState.LEFT, 0));
        feed.put(member("d", 1, NodeState.SUSPECT, 0));
        Map<String, Integer> probed = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            List<Effect> round = tick();
            String target = targetOrNull(round);
            if (target != null) {
                probed.merge(target, 1, Integer::sum);
                prober.onAck(new Ack(ping(round).seqNo(), Bytes.EMPTY), now);
            }
            assertTrue(Set.of("a", "d").containsAll(probed.keySet()), "only live members: " + probed);
            assertTrue(
                    Math.abs(probed.getOrDefault("a", 0) - probed.getOrDefault("d", 0)) <= 1,
                    "each live member once per pass: " + probed);
        }
        // As memberlist's probe(), a round gives up after as many checks as the list is long, so with dead members
        // in the list a few rounds probe nobody; most still do.
        assertEquals(Set.of("a", "d"), probed.keySet());
        assertTrue(probed.get("a") + probed.get("d") >= 30, probed.toString());
    }

    @Test
    void memberThatDiesIsNoLongerProbed() {
        members("a", "b");
        feed.put(member("b", 1, NodeState.DEAD, 0));
        int probedA = 0;
        for (int i = 0; i < 10; i++) {
            List<Effect> round = tick();
            String target = targetOrNull(round);
            if (target != null) {
                assertEquals("a", target);
                probedA++;
                prober.onAck(new Ack(ping(round).seqNo(), Bytes.EMPTY), now);
            }
        }
        assertTrue(probedA >= 5, "a probed in " + probedA + " of 10 rounds");
    }

    @Test
    void roundWithOnlyDeadMembersPingsNobody() {
        feed.put(member("b", 1, NodeState.DEAD, 0));
        feed.put(member("c", 1, NodeState.LEFT, 0));
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(new Effect.StartTimer(Prober.ProbeTick.INSTANCE, INTERVAL)), tick());
        }
    }

    @Test
    void forgottenMemberIsNotProbed() {
        members("a", "b");
        feed.forget("b");
        for (int i = 0; i < 6; i++) {
            List<Effect> round = tick();
            assertEquals("a", target(round));
            prober.onAck(new Ack(ping(round).seqNo(), Bytes.EMPTY), now);
        }
    }

    @Test
    void forgottenMemberThatRejoinsIsProbedOncePerPass() {
        members("a", "b");
        for (int cycle = 0; cycle < 3; cycle++) {
            feed.forget("b");
            feed.put(alive("b"));
        }
        Map<String, Integer> probed = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            List<Effect> round = tick();
            probed.merge(target(round), 1, Integer::sum);
            prober.onAck(new Ack(ping(round).seqNo(), Bytes.EMPTY), now);
        }
        assertEquals(Map.of("a", 10, "b", 10), probed);
    }

    @Test
    void forgettingAProbedMemberMidPassDoesNotSkipTheOthers() {
        for (long seed = 0; seed < 20; seed++) {
            prober = new Prober(CoreFixtures.info(SELF), MembershipConfig.lan(), new SplittableRandom(seed));
            feed = new CoreFixtures.ViewFeed(prober::onChange);
            members("a", "b", "c", "d");
            List<String> firstTwo = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                List<Effect> round = tick();
                firstTwo.add(target(round));
                prober.onAck(new Ack(ping(round).seqNo(), Bytes.EMPTY), now);
            }
            feed.forget(firstTwo.get(0));
            Set<String> rest = new HashSet<>(Set.of("a", "b", "c", "d"));
            rest.removeAll(firstTwo);
            Set<String> next = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                List<Effect> round = tick();
                next.add(target(round));
                prober.onAck(new Ack(ping(round).seqNo(), Bytes.EMPTY), now);
            }
            assertEquals(rest, next, "seed " + seed + ", probed first " + firstTwo);
        }
    }

    @Test
    void probeOfSuspectTargetCarriesSuspectInTheSamePacket() {
        feed.put(member("a", 7, NodeState.SUSPECT, 0));
        List<Effect> round = tick();
        Effect.Send send = single(round, Effect.Send.class);
        assertEquals(2, send.messages().size());
        Ping ping = assertInstanceOf(Ping.class, send.messages().get(0));
        assertEquals("a", ping.target());
        assertEquals(new Suspect(7, "a", SELF), send.messages().get(1));
    }

    @Test
    void probeOfAliveTargetCarriesOnlyThePing() {
        members("a");
        assertEquals(1, single(tick(), Effect.Send.class).messages().size());
    }

    // ---------------------------------------------------------------------------------------------------------
    // outcomes

    @Test
    void ackWithinTimeoutIsSuccess() {
        members("a");
        prober.adjustHealth(3);
        List<Effect> round = tick();
        int seq = ping(round).seqNo();

        List<Effect> effects = prober.onAck(new Ack(seq, Bytes.EMPTY, 7), now + 20 * MS);

        assertEquals(
                List.of(
                        new Effect.CancelTimer(new Prober.AckTimeout(seq)),
                        new Effect.ProbeAcked("a", 20 * MS, io.murmur.protocol.Bytes.EMPTY, 7)),
                effects);
        assertEquals(2, prober.healthScore(), "a successful probe lowers the score by one");
        assertEquals(20 * MS, prober.lastRttNanos());
        List<Effect> next = tick();
        assertEquals(List.of(), suspicions(next));
        assertEquals(0, prober.failedProbes());
        assertEquals(3 * INTERVAL, nextRoundDelay(next));
    }

    @Test
    void ackTimeoutAfterAnAckDoesNothing() {
        members("a", "b");
        List<Effect> round = tick();
        int seq = ping(round).seqNo();
        prober.onAck(new Ack(seq, Bytes.EMPTY), now);
        assertEquals(List.of(), prober.onTimer(new Prober.AckTimeout(seq), now + TIMEOUT));
    }

    @Test
    void duplicateAckCountsOnce() {
        members("a");
        prober.adjustHealth(5);
        int seq = ping(tick()).seqNo();
        prober.onAck(new Ack(seq, Bytes.EMPTY), now);
        assertEquals(List.of(), prober.onAck(new Ack(seq, Bytes.EMPTY), now));
        assertEquals(4, prober.healthScore());
    }

    @Test
    void noAckSendsIndirectPingsToAliveMembersOtherThanTheTarget() {
        members("a", "b", "c", "d", "e");
        feed.put(member("s", 1, NodeState.SUSPECT, 0));
        feed.put(member("x", 1, NodeState.DEAD, 0));
        for (int round = 0; round < 30; round++) {
            List<Effect> effects = tick();
            Ping ping = ping(effects);
            String target = ping.target();
            Member t = feed.view().getOrNull(target);

            List<Effect> indirect = prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now + TIMEOUT);

            List<Effect.Send> sends = only(indirect, Effect.Send.class);
            assertEquals(indirect.size(), sends.size(), "only sends: " + indirect);
            assertEquals(3, sends.size(), "indirect-checks peers, round " + round);
            Set<Address> to = new HashSet<>();
            for (Effect.Send s : sends) {
                assertTrue(to.add(s.to()), "distinct peers: " + sends);
                assertNotEquals(addressOf(target), s.to());
                assertNotEquals(SELF_ADDRESS, s.to());
                assertNotEquals(addressOf("s"), s.to(), "suspect members are not asked");
                assertNotEquals(addressOf("x"), s.to(), "dead members are not asked");
                assertEquals(
                        List.of(new IndirectPing(ping.seqNo(), target, t.address(), true, SELF, SELF_ADDRESS)),
                        s.messages());
            }
            // Conclude as a success, so that the next round is a clean one.
            prober.onAck(new Ack(ping.seqNo(), Bytes.EMPTY), now + TIMEOUT + MS);
        }
    }

    @Test
    void indirectPingsGoToAsManyAlivePeersAsThereAre() {
        members("a", "b");
        Ping ping = ping(tick());
        List<Effect> indirect = prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now + TIMEOUT);
        assertEquals(1, indirect.size());
        String other = ping.target().equals("a") ? "b" : "a";
        assertEquals(addressOf(other), single(indirect, Effect.Send.class).to());
    }

    @Test
    void unansweredProbeSuspectsTargetAtTheNextRound() {
        members("a");
        Ping ping = ping(tick());
        prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now + TIMEOUT);

        List<Effect> next = tick();

        assertEquals(List.of(new Suspect(1, "a", SELF)), suspicions(next));
        assertTrue(next.contains(new Effect.CancelTimer(new Prober.AckTimeout(ping.seqNo()))));
        assertEquals(1, prober.failedProbes());
    }

    @Test
    void suspicionCarriesTheIncarnationSeenWhenTheProbeStarted() {
        members("a");
        ping(tick());
        feed.put(member("a", 5, NodeState.ALIVE, 0));
        assertEquals(List.of(new Suspect(1, "a", SELF)), suspicions(tick()));
    }

    @Test
    void unansweredProbeWithoutPeersRaisesHealthByOne() {
        members("a");
        Ping ping = ping(tick());
        assertEquals(List.of(), prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now + TIMEOUT));
        List<Effect> next = tick();
        assertEquals(1, prober.healthScore());
        assertEquals(2 * INTERVAL, nextRoundDelay(next), "the next round is already stretched");
    }

    /** Lifeguard: a failed probe costs one point per expected nack that did not come. */
    @ParameterizedTest(name = "{0} nacks of 3")
    @ValueSource(ints = {0, 1, 2})
    void nacksReduceThePenaltyOfAFailedProbe(int nacks) {
        members("a", "b", "c", "d");
        Ping ping = ping(tick());
        List<Effect> indirect = prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now + TIMEOUT);
        assertEquals(3, indirect.size());
        for (int i = 0; i < nacks; i++) {
            assertEquals(List.of(), prober.onNack(new Nack(ping.seqNo()), helper(i)));
        }
        List<Effect> next = tick();
        assertEquals(3 - nacks, prober.healthScore());
        assertEquals(1, suspicions(next).size(), "a nack is no ack: the target is suspected anyway");
    }

    /** Murmur: when every helper has nacked, the probe concludes at once rather than at the end of the round. */
    @Test
    void allNacksInConcludeTheProbeAtOnceWithoutPenalty() {
        members("a", "b", "c", "d");
        Ping ping = ping(tick());
        prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now + TIMEOUT);
        assertEquals(List.of(), prober.onNack(new Nack(ping.seqNo()), helper(0)));
        assertEquals(List.of(), prober.onNack(new Nack(ping.seqNo()), helper(1)));
        List<Effect> last = prober.onNack(new Nack(ping.seqNo()), helper(2));
        assertEquals(List.of(new Suspect(1, ping.target(), SELF)), suspicions(last));
        assertEquals(0, prober.healthScore(), "all nacks came: the trouble is not here");
        // A direct ack arriving after the conclusion changes nothing, and the next round suspects no one again.
        assertEquals(List.of(), prober.onAck(new Ack(ping.seqNo(), Bytes.EMPTY), now + 600 * MS));
        assertEquals(List.of(), suspicions(tick()));
    }

    @Test
    void relayedPingsAreBoundedSoAFloodCannotGrowThem() {
        members("a", "b");
        for (int i = 0; i < Prober.MAX_RELAYS; i++) {
            assertEquals(
                    2,
                    prober.onIndirectPing(new IndirectPing(i, "a", addressOf("a"), true, "b", addressOf("b")))
                            .size());
        }
        assertEquals(
                List.of(), prober.onIndirectPing(new IndirectPing(-1, "a", addressOf("a"), true, "b", addressOf("b"))));
        assertEquals(1, prober.relaysRefused());
    }

    /** A duplicated packet must not stand in for a helper that said nothing. */
    @Test
    void aNackCountsOncePerHelper() {
        members("a", "b", "c", "d");
        Ping ping = ping(tick());
        prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now + TIMEOUT);
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), prober.onNack(new Nack(ping.seqNo()), helper(0)));
        }
        tick();
        assertEquals(2, prober.healthScore(), "one helper answered, two did not");
    }

    private static io.murmur.protocol.Address helper(int i) {
        return new io.murmur.protocol.Address("helper-" + i + ".test", 7946);
    }

    @Test
    void nacksForAnotherProbeAreIgnored() {
        members("a", "b", "c", "d");
        Ping ping = ping(tick());
        prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now + TIMEOUT);
        prober.onNack(new Nack(ping.seqNo() + 1), helper(0));
        tick();
        assertEquals(3, prober.healthScore());
    }

    @Test
    void indirectAckWithTheOriginalSeqNoIsSuccess() {
        members("a", "b", "c", "d");
        prober.adjustHealth(2);
        Ping ping = ping(tick());
        prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now + TIMEOUT);
        prober.onNack(new Nack(ping.seqNo()), helper(0));
        // The intermediary forwards the target's ack under our sequence number.
        prober.onAck(new Ack(ping.seqNo(), Bytes.EMPTY), now + 800 * MS);

        List<Effect> next = tick();
        assertEquals(List.of(), suspicions(next));
        assertEquals(1, prober.healthScore());
    }

    @Test
    void lateAckIsIgnored() {
        members("a");
        Ping ping = ping(tick());
        tick(); // the round is over: the target is suspected
        int score = prober.healthScore();

        assertEquals(List.of(), prober.onAck(new Ack(ping.seqNo(), Bytes.EMPTY), now));
        assertEquals(score, prober.healthScore());
        assertEquals(List.of(), prober.onTimer(new Prober.AckTimeout(ping.seqNo()), now), "a stale ack timeout");
    }

    @Test
    void probeIntervalIsScaledByHealthScorePlusOne() {
        members("a");
        prober.adjustHealth(3);
        assertEquals(4 * INTERVAL, nextRoundDelay(tick()));
        prober.adjustHealth(100);
        assertEquals(7, prober.healthScore());
        List<Effect> round = tick();
        assertEquals(8 * INTERVAL, nextRoundDelay(round), "awareness-max-multiplier caps it at 8x");
        assertTrue(
                round.contains(
                        new Effect.StartTimer(new Prober.AckTimeout(ping(round).seqNo()), TIMEOUT)),
                "the probe timeout is not scaled");
    }

    @Test
    void repeatedFailuresWithoutPeersDriveTheScoreToItsCap() {
        members("a");
        for (int i = 0; i < 12; i++) {
            tick();
        }
        assertEquals(7, prober.healthScore());
        assertEquals(11, prober.failedProbes());
    }

    // ---------------------------------------------------------------------------------------------------------
    // answering and relaying

    @Test
    void pingForThisNodeIsAnsweredWithAckPayloadAndTableSize() {
        prober.ackPayload(Bytes.utf8("coordinates"));
        members("a", "b");
        feed.put(member("c", 1, NodeState.DEAD, 0));
        List<Effect> effects = prober.onPing(new Ping(77, SELF, "a", addressOf("a")));
        assertEquals(
                List.of(new Effect.Send(addressOf("a"), List.of(new Ack(77, Bytes.utf8("coordinates"), 3)))),
                effects,
                "self and two alive members; the dead one is not counted");
    }

    @Test
    void pingForAnotherNodeNameIsIgnored() {
        assertEquals(List.of(), prober.onPing(new Ping(77, "previous-owner", "a", addressOf("a"))));
    }

    private static final Address REQUESTER = addressOf("r");
    private static final Address TARGET = addressOf("t");

    /** Relays a ping for r to t and returns the relayed ping. */
    private Ping relay(boolean nack) {
        List<Effect> effects = prober.onIndirectPing(new IndirectPing(42, "t", TARGET, nack, "r", REQUESTER));
        Effect.Send send = single(effects, Effect.Send.class);
        assertEquals(TARGET, send.to());
        Ping ping = assertInstanceOf(Ping.class, send.messages().get(0));
        assertEquals(new Ping(ping.seqNo(), "t", SELF, SELF_ADDRESS), ping);
        assertTrue(effects.contains(new Effect.StartTimer(new Prober.RelayTimeout(ping.seqNo()), RELAY_TIMEOUT)));
        return ping;
    }

    /** LAN: asked 500 ms into a 1 s round, the nack must leave before 1000 ms; a fifth of the timeout earlier. */
    private static final long RELAY_TIMEOUT = 400 * MS;

    @Test
    void relayNacksInTimeForTheRequestersRound() {
        assertEquals(RELAY_TIMEOUT, Prober.relayTimeoutNanos(MembershipConfig.lan()));
        // local: asked 200 ms into a 1 s round, a full probe timeout fits (memberlist's own wait).
        assertEquals(200 * MS, Prober.relayTimeoutNanos(MembershipConfig.local()));
        // wan: asked 3 s into a 5 s round: 5 - 3 - 0.6 s.
        assertEquals(1400 * MS, Prober.relayTimeoutNanos(MembershipConfig.wan()));
        // A probe timeout as long as the round leaves no time at all: the relay still waits a fifth of it.
        MembershipConfig tight = MembershipConfig.lan().toBuilder()
                .probeTimeout(java.time.Duration.ofSeconds(1))
                .build();
        assertEquals(200 * MS, Prober.relayTimeoutNanos(tight));
    }

    @Test
    void relayedPingForwardsTheAckWithTheOriginalSeqNo() {
        Ping ping = relay(true);
        List<Effect> effects = prober.onAck(new Ack(ping.seqNo(), Bytes.utf8("x")), now);
        assertEquals(
                List.of(
                        new Effect.CancelTimer(new Prober.RelayTimeout(ping.seqNo())),
                        new Effect.Send(REQUESTER, List.of(new Ack(42, Bytes.EMPTY)))),
                effects);
        assertEquals(List.of(), prober.onTimer(new Prober.RelayTimeout(ping.seqNo()), now + TIMEOUT));
    }

    @Test
    void relayedPingWithoutAnswerSendsNackAfterTheRelayTimeout() {
        Ping ping = relay(true);
        assertEquals(
                List.of(new Effect.Send(REQUESTER, List.of(new Nack(42)))),
                prober.onTimer(new Prober.RelayTimeout(ping.seqNo()), now + RELAY_TIMEOUT));
        assertEquals(List.of(), prober.onAck(new Ack(ping.seqNo(), Bytes.EMPTY), now + TIMEOUT), "too late");
    }

    @Test
    void relayedPingWithoutNackRequestSendsNothingOnTimeout() {
        Ping ping = relay(false);
        assertEquals(List.of(), prober.onTimer(new Prober.RelayTimeout(ping.seqNo()), now + TIMEOUT));
    }

    @Test
    void relayDoesNotDisturbOwnProbe() {
        members("a");
        Ping own = ping(tick());
        Ping relayed = relay(true);
        assertNotEquals(own.seqNo(), relayed.seqNo());
        prober.onAck(new Ack(relayed.seqNo(), Bytes.EMPTY), now);
        assertEquals(1, suspicions(tick()).size(), "the relayed ack is not an ack of our own probe");
    }

    @Test
    void foreignTimerIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> prober.onTimer(Gossiper.GossipTick.INSTANCE, 0));
    }

    @Test
    void everyRoundUsesAFreshSeqNo() {
        members("a", "b", "c");
        Set<Integer> seqNos = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            List<Effect> round = tick();
            assertTrue(seqNos.add(ping(round).seqNo()));
            Message m = single(round, Effect.Send.class).messages().get(0);
            assertFalse(m instanceof Suspect);
        }
    }
}
