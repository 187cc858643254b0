package io.murmur.membership;

import static io.murmur.membership.CoreFixtures.MS;
import static io.murmur.membership.CoreFixtures.SECOND;
import static io.murmur.membership.CoreFixtures.addressOf;
import static io.murmur.membership.CoreFixtures.alive;
import static io.murmur.membership.CoreFixtures.info;
import static io.murmur.membership.CoreFixtures.member;
import static io.murmur.membership.CoreFixtures.only;
import static io.murmur.membership.CoreFixtures.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Dead;
import io.murmur.protocol.Message.PushNodeState;
import io.murmur.protocol.Message.PushPull;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.NodeState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Push/pull anti-entropy (memberlist {@code pushPull}, {@code mergeState}, {@code pushPullScale}) and seed re-join. */
class SyncerTest {

    private static final String SELF = "self";
    private static final long PUSH_PULL = 30 * SECOND; // LAN
    private static final long REJOIN = 30 * SECOND;

    private Syncer syncer;
    private CoreFixtures.ViewFeed feed;

    @BeforeEach
    void setUp() {
        syncer = syncer(MembershipConfig.lan());
    }

    private Syncer syncer(MembershipConfig config) {
        Syncer s = new Syncer(info(SELF), config, new SplittableRandom(17));
        feed = new CoreFixtures.ViewFeed(s::onChange);
        feed.put(alive(SELF));
        return s;
    }

    private static PushNodeState row(String name, long incarnation, NodeState state) {
        return new PushNodeState(info(name), incarnation, state);
    }

    private static PushPull remote(PushNodeState... rows) {
        return new PushPull(false, List.of(rows), Bytes.EMPTY);
    }

    private static List<Message> applied(List<Effect> effects) {
        assertEquals(only(effects, Effect.Apply.class).size(), effects.size(), "only applies: " + effects);
        return only(effects, Effect.Apply.class).stream()
                .map(Effect.Apply::update)
                .toList();
    }

    // ---------------------------------------------------------------------------------------------------------
    // merge rules

    @Test
    void remoteAliveIsAppliedAsAlive() {
        assertEquals(
                List.of(new Alive(4, info("a"))),
                applied(syncer.onResponse(addressOf("peer"), remote(row("a", 4, NodeState.ALIVE)))));
    }

    @Test
    void remoteLeftIsAppliedAsDeadFromTheNodeItself() {
        List<Message> updates = applied(syncer.onResponse(addressOf("peer"), remote(row("a", 4, NodeState.LEFT))));
        assertEquals(List.of(new Dead(4, "a", "a")), updates);
        assertTrue(((Dead) updates.get(0)).isLeave());
    }

    @Test
    void remoteDeadIsAppliedOnlyAsSuspicionFromSelf() {
        assertEquals(
                List.of(new Suspect(4, "a", SELF)),
                applied(syncer.onResponse(addressOf("peer"), remote(row("a", 4, NodeState.DEAD)))));
    }

    @Test
    void remoteSuspectIsAppliedAsSuspicionFromSelf() {
        assertEquals(
                List.of(new Suspect(4, "a", SELF)),
                applied(syncer.onResponse(addressOf("peer"), remote(row("a", 4, NodeState.SUSPECT)))));
    }

    @Test
    void everyRemoteRowIsMergedInOrder() {
        List<Message> updates = Syncer.mergeUpdates(
                List.of(
                        row("a", 1, NodeState.ALIVE),
                        row("b", 2, NodeState.SUSPECT),
                        row("c", 3, NodeState.DEAD),
                        row("d", 4, NodeState.LEFT),
                        row(SELF, 9, NodeState.DEAD)),
                SELF);
        assertEquals(
                List.of(
                        new Alive(1, info("a")),
                        new Suspect(2, "b", SELF),
                        new Suspect(3, "c", SELF),
                        new Dead(4, "d", "d"),
                        // About this node too: the member table refutes it.
                        new Suspect(9, SELF, SELF)),
                updates);
    }

    @Test
    void requestIsAnsweredWithTheStateBeforeTheMerge() {
        feed.put(alive("a"));
        PushPull before = syncer.localState(false);

        Syncer.Reply reply = syncer.onRequest(remote(row("b", 1, NodeState.ALIVE)));

        assertEquals(before, reply.response());
        assertFalse(reply.response().join());
        assertEquals(List.of(new Alive(1, info("b"))), applied(reply.effects()));
    }

    @Test
    void localStateIncludesEveryMember() {
        feed.put(member("a", 2, NodeState.ALIVE, 0));
        feed.put(member("b", 3, NodeState.SUSPECT, 0));
        feed.put(member("c", 4, NodeState.DEAD, 0));
        feed.put(member("d", 5, NodeState.LEFT, 0));

        PushPull state = syncer.localState(true);

        assertTrue(state.join());
        assertEquals(Bytes.EMPTY, state.userState());
        Map<String, PushNodeState> rows = new HashMap<>();
        for (PushNodeState r : state.nodes()) {
            rows.put(r.node().name(), r);
        }
        assertEquals(
                Map.of(
                        SELF,
                        row(SELF, 1, NodeState.ALIVE),
                        "a",
                        row("a", 2, NodeState.ALIVE),
                        "b",
                        row("b", 3, NodeState.SUSPECT),
                        "c",
                        row("c", 4, NodeState.DEAD),
                        "d",
                        row("d", 5, NodeState.LEFT)),
                rows);
        assertEquals(5, state.nodes().size());
    }

    // ---------------------------------------------------------------------------------------------------------
    // pushPullScale

    @ParameterizedTest(name = "N={0}: x{1}")
    @CsvSource({
        "1, 1",
        "32, 1",
        "33, 2",
        "64, 2",
        "65, 3",
        "100, 3",
        "128, 3",
        "129, 4",
        "1000, 6",
        "10000, 10",
    })
    void pushPullIntervalScalesWithLog2OfClusterSizeAbove32(int n, int multiplier) {
        assertEquals(multiplier * PUSH_PULL, Syncer.pushPullScale(PUSH_PULL, n));
    }

    /** Reference §1.2 derived table: LAN push/pull at N = 10, 100, 1000, 10000. */
    @Test
    void pushPullIntervalMatchesTheDerivedTable() {
        assertEquals(30 * SECOND, Syncer.pushPullScale(PUSH_PULL, 10));
        assertEquals(90 * SECOND, Syncer.pushPullScale(PUSH_PULL, 100));
        assertEquals(180 * SECOND, Syncer.pushPullScale(PUSH_PULL, 1000));
        assertEquals(300 * SECOND, Syncer.pushPullScale(PUSH_PULL, 10_000));
    }

    @Test
    void pushPullScaleIsExactAtPowersOfTwo() {
        // log2(2^k) - log2(32) = k - 5 exactly, so 2^k scales by k - 4; no rounding may push it one step up.
        for (int k = 6; k <= 20; k++) {
            assertEquals((k - 4) * PUSH_PULL, Syncer.pushPullScale(PUSH_PULL, 1 << k), "N=2^" + k);
            assertEquals((k - 3) * PUSH_PULL, Syncer.pushPullScale(PUSH_PULL, (1 << k) + 1), "N=2^" + k + "+1");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // timers and exchanges

    @Test
    void startStaggersThePushPullAndSchedulesTheRejoin() {
        for (long seed = 0; seed < 30; seed++) {
            Syncer s = new Syncer(info(SELF), MembershipConfig.lan(), new SplittableRandom(seed));
            List<Effect.StartTimer> timers = only(s.start(0), Effect.StartTimer.class);
            assertEquals(2, timers.size());
            Effect.StartTimer pushPull = timers.get(0);
            assertEquals(Syncer.PushPullTick.INSTANCE, pushPull.key());
            assertTrue(pushPull.delayNanos() >= 0 && pushPull.delayNanos() < PUSH_PULL, pushPull.toString());
            assertEquals(new Effect.StartTimer(Syncer.RejoinTick.INSTANCE, REJOIN), timers.get(1));
        }
    }

    @Test
    void zeroIntervalsDisableThePushPullAndTheRejoin() {
        Syncer s = syncer(MembershipConfig.lan().toBuilder()
                .pushPullInterval(Duration.ZERO)
                .rejoinInterval(Duration.ZERO)
                .build());
        assertEquals(List.of(), s.start(0));
    }

    @Test
    void periodicExchangeGoesToARandomAliveMemberOnly() {
        feed.put(alive("a"));
        feed.put(member("b", 1, NodeState.SUSPECT, 0));
        feed.put(member("c", 1, NodeState.DEAD, 0));
        feed.put(member("d", 1, NodeState.LEFT, 0));
        for (int i = 0; i < 30; i++) {
            List<Effect> effects = syncer.onTimer(Syncer.PushPullTick.INSTANCE, i * PUSH_PULL);
            assertEquals(new Effect.StartTimer(Syncer.PushPullTick.INSTANCE, PUSH_PULL), effects.get(0));
            Effect.Request r = single(effects, Effect.Request.class);
            assertEquals(addressOf("a"), r.to());
            assertEquals(Syncer.Purpose.PERIODIC, r.tag());
            assertEquals(syncer.localState(false), r.message());
        }
    }

    @Test
    void periodicExchangesSpreadOverTheAliveMembers() {
        for (String n : List.of("a", "b", "c", "d")) {
            feed.put(alive(n));
        }
        Map<Address, Integer> hits = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            Effect.Request r = single(syncer.onTimer(Syncer.PushPullTick.INSTANCE, 0), Effect.Request.class);
            hits.merge(r.to(), 1, Integer::sum);
        }
        assertEquals(4, hits.size(), hits.toString());
        assertFalse(hits.containsKey(addressOf(SELF)));
        hits.values().forEach(h -> assertTrue(h > 60, hits.toString()));
    }

    @Test
    void periodicExchangeIsRescheduledScaledWithTheClusterSize() {
        for (int i = 1; i < 100; i++) {
            feed.put(alive("n" + i));
        }
        assertEquals(
                new Effect.StartTimer(Syncer.PushPullTick.INSTANCE, 90 * SECOND),
                syncer.onTimer(Syncer.PushPullTick.INSTANCE, 0).get(0));
    }

    @Test
    void periodicExchangeWithNobodyAliveOnlyReschedules() {
        feed.put(member("c", 1, NodeState.DEAD, 0));
        assertEquals(
                List.of(new Effect.StartTimer(Syncer.PushPullTick.INSTANCE, PUSH_PULL)),
                syncer.onTimer(Syncer.PushPullTick.INSTANCE, 0));
    }

    @Test
    void joinExchangesStateWithEverySeed() {
        feed.put(alive("a"));
        List<Address> seeds = List.of(addressOf("s1"), addressOf("s2"));
        List<Effect> effects = syncer.join(seeds, "join-1");

        assertEquals(
                List.of(
                        new Effect.Request(addressOf("s1"), syncer.localState(true), "join-1"),
                        new Effect.Request(addressOf("s2"), syncer.localState(true), "join-1")),
                effects);
    }

    @Test
    void rejoinContactsOnlySeedsThatAreNotLiveMembers() {
        feed.put(alive("s1"));
        feed.put(member("s2", 1, NodeState.SUSPECT, 0));
        feed.put(member("s3", 1, NodeState.DEAD, 0));
        feed.put(member("s4", 1, NodeState.LEFT, 0));
        syncer.join(
                List.of(addressOf("s1"), addressOf("s2"), addressOf("s3"), addressOf("s4"), addressOf("s5")), "join");
        // s1 to s4 answered the join (each answer holds the answering member's own row); s5 never did.
        for (String s : List.of("s1", "s2", "s3", "s4")) {
            syncer.onResponse(addressOf(s), remote(row(s, 1, NodeState.ALIVE)));
        }

        List<Effect> effects = syncer.onTimer(Syncer.RejoinTick.INSTANCE, REJOIN);

        assertEquals(new Effect.StartTimer(Syncer.RejoinTick.INSTANCE, REJOIN), effects.get(0));
        List<Effect.Request> requests = only(effects, Effect.Request.class);
        assertEquals(
                List.of(addressOf("s3"), addressOf("s4"), addressOf("s5")),
                requests.stream().map(Effect.Request::to).toList(),
                "a suspect member is still a member; dead, left and unknown seeds are not");
        for (Effect.Request r : requests) {
            assertEquals(Syncer.Purpose.REJOIN, r.tag());
            assertEquals(syncer.localState(true), r.message());
        }
    }

    @Test
    void aSeedWhoseAnswerNamesNoMemberAtItsAddressIsAlwaysContacted() {
        // A seed given by another name for the host (or a load balancer): no row of the answer has its address.
        Address byHostName = new Address("seed.example", 7946);
        feed.put(alive("s1"));
        syncer.join(List.of(byHostName), "join");
        syncer.onResponse(byHostName, remote(row("s1", 1, NodeState.ALIVE)));
        assertEquals(
                1,
                only(syncer.onTimer(Syncer.RejoinTick.INSTANCE, REJOIN), Effect.Request.class)
                        .size());
    }

    @Test
    void rejoinAsksEachSeedOnceHoweverOftenItWasGiven() {
        syncer.join(List.of(addressOf("s1")), "first");
        syncer.join(List.of(addressOf("s1"), addressOf("s1")), "second");
        assertEquals(
                1,
                only(syncer.onTimer(Syncer.RejoinTick.INSTANCE, 0), Effect.Request.class)
                        .size());
    }

    @Test
    void aJoinerThatIsAloneRejoinsEarlyWithGrowingDelaysUpToTheInterval() {
        // local: the join's deadline is twice the 1 s stream timeout; the re-join interval is 30 s.
        for (long seed = 0; seed < 20; seed++) {
            Syncer s = new Syncer(info(SELF), MembershipConfig.local(), new SplittableRandom(seed));
            new CoreFixtures.ViewFeed(s::onChange).put(alive(SELF));
            Effect.StartTimer first = single(s.join(List.of(addressOf("s1")), "join"), Effect.StartTimer.class);
            assertEquals(Syncer.RejoinTick.INSTANCE, first.key());
            assertTrue(first.delayNanos() >= 2 * SECOND && first.delayNanos() < 3 * SECOND, first.toString());
            long[] lower = {4, 8, 16, 30, 30};
            long[] upper = {6, 12, 24, 30, 30};
            for (int i = 0; i < lower.length; i++) {
                List<Effect> effects = s.onTimer(Syncer.RejoinTick.INSTANCE, 0);
                assertEquals(
                        List.of(addressOf("s1")),
                        only(effects, Effect.Request.class).stream()
                                .map(Effect.Request::to)
                                .toList());
                long delay = single(effects, Effect.StartTimer.class).delayNanos();
                assertTrue(delay >= lower[i] * SECOND && delay <= upper[i] * SECOND, i + ": " + delay);
            }
        }
    }

    @Test
    void aNodeThatIsNoLongerAloneRejoinsEveryInterval() {
        syncer.join(List.of(addressOf("s1")), "join");
        feed.put(alive("s1"));
        syncer.onResponse(addressOf("s1"), remote(row("s1", 1, NodeState.ALIVE)));
        assertEquals(
                List.of(new Effect.StartTimer(Syncer.RejoinTick.INSTANCE, REJOIN)),
                syncer.onTimer(Syncer.RejoinTick.INSTANCE, 0));
    }

    @Test
    void aNodeLeftAloneLaterRejoinsEarlyToo() {
        feed.put(alive("s1"));
        syncer.join(List.of(addressOf("s1")), "join");
        syncer.onResponse(addressOf("s1"), remote(row("s1", 1, NodeState.ALIVE)));
        feed.put(member("s1", 1, NodeState.DEAD, 0));
        List<Effect> effects = syncer.onTimer(Syncer.RejoinTick.INSTANCE, 0);
        assertEquals(1, only(effects, Effect.Request.class).size());
        long delay = single(effects, Effect.StartTimer.class).delayNanos();
        assertTrue(delay >= 20 * SECOND && delay < 30 * SECOND, "lan: one to one and a half join deadlines: " + delay);
    }

    @Test
    void noEarlyRejoinWhenTheRejoinIsOff() {
        Syncer s = syncer(
                MembershipConfig.lan().toBuilder().rejoinInterval(Duration.ZERO).build());
        assertEquals(1, s.join(List.of(addressOf("s1")), "join").size());
    }

    @Test
    void rejoinWithoutSeedsOnlyReschedules() {
        assertEquals(
                List.of(new Effect.StartTimer(Syncer.RejoinTick.INSTANCE, REJOIN)),
                syncer.onTimer(Syncer.RejoinTick.INSTANCE, 0));
    }

    // ---------------------------------------------------------------------------------------------------------
    // gap sync (Murmur's addition): an ack from a member whose table is larger

    @Test
    void ackFromAMemberThatKnowsMoreStartsAGapSyncWithIt() {
        feed.put(alive("a"));
        Effect.Request r = single(syncer.onProbeAcked("a", 3, 10 * SECOND), Effect.Request.class);
        assertEquals(addressOf("a"), r.to());
        assertEquals(Syncer.Purpose.GAP, r.tag());
        assertEquals(syncer.localState(false), r.message());
    }

    @Test
    void noGapSyncWhenThePeerKnowsNoMoreOrDidNotSay() {
        feed.put(alive("a"));
        assertEquals(List.of(), syncer.onProbeAcked("a", 2, 10 * SECOND), "self and a, as here");
        assertEquals(List.of(), syncer.onProbeAcked("a", 1, 10 * SECOND));
        assertEquals(List.of(), syncer.onProbeAcked("a", 0, 10 * SECOND), "a relayed ack tells nothing");
    }

    @Test
    void noGapSyncWhileMembersAreStillJoiningHere() {
        feed.put(alive("a"));
        feed.put(member("b", 1, NodeState.ALIVE, 10 * SECOND));
        assertEquals(List.of(), syncer.onProbeAcked("a", 9, 10 * SECOND + CHURN_DELAY - 1));
        assertEquals(1, syncer.onProbeAcked("a", 9, 10 * SECOND + CHURN_DELAY).size());
    }

    @Test
    void aMemberDeclaredFailedHereCountsAsMissingOnceTheNewsSettled() {
        feed.put(alive("a"));
        feed.put(alive("b"));
        feed.put(member("b", 1, NodeState.DEAD, 10 * SECOND));
        assertEquals(List.of(), syncer.onProbeAcked("a", 3, 10 * SECOND + CHURN_DELAY - 1), "the death is news");
        assertEquals(1, syncer.onProbeAcked("a", 3, 10 * SECOND + CHURN_DELAY).size(), "a knows b alive");
    }

    @Test
    void gapSyncsAreSpacedByTheChurnSyncDelayAndBudgeted() {
        feed.put(alive("a"));
        long t = 10 * SECOND;
        assertEquals(1, syncer.onProbeAcked("a", 9, t).size());
        assertEquals(List.of(), syncer.onProbeAcked("a", 9, t + CHURN_DELAY - 1), "spaced");
        assertEquals(1, syncer.onProbeAcked("a", 9, t + CHURN_DELAY).size());
        assertEquals(1, syncer.onProbeAcked("a", 9, t + 2 * CHURN_DELAY).size());
        assertEquals(List.of(), syncer.onProbeAcked("a", 9, t + 3 * CHURN_DELAY), "three per budget window");
        // lan: the window is the 30 s push/pull interval.
        assertEquals(1, syncer.onProbeAcked("a", 9, t + 30 * SECOND).size());
    }

    @Test
    void gapSyncOnlyWithAnAliveMember() {
        feed.put(member("a", 1, NodeState.SUSPECT, 0));
        assertEquals(List.of(), syncer.onProbeAcked("a", 9, 10 * SECOND));
        assertEquals(List.of(), syncer.onProbeAcked("gone", 9, 10 * SECOND));
    }

    @Test
    void noGapSyncWhenChurnSyncsAreOff() {
        Syncer s = syncer(
                MembershipConfig.lan().toBuilder().churnSyncDelay(Duration.ZERO).build());
        feed.put(alive("a"));
        assertEquals(List.of(), s.onProbeAcked("a", 9, 10 * SECOND));
    }

    // ---------------------------------------------------------------------------------------------------------
    // churn sync (Murmur's addition)

    private static final long CHURN_DELAY = 600 * MS; // LAN churn-sync-delay

    @Test
    void memberJoiningSchedulesOneChurnSync() {
        List<Effect> first = syncer.onChange(change(alive("a"), null));
        assertEquals(List.of(new Effect.StartTimer(Syncer.ChurnSyncTick.INSTANCE, CHURN_DELAY)), first);
        assertEquals(List.of(), syncer.onChange(change(alive("b"), null)), "one pending at a time");

        Effect.Request r = single(syncer.onTimer(Syncer.ChurnSyncTick.INSTANCE, CHURN_DELAY), Effect.Request.class);
        assertEquals(Syncer.Purpose.CHURN, r.tag());
        assertTrue(r.to().equals(addressOf("a")) || r.to().equals(addressOf("b")), r.toString());
    }

    @Test
    void memberComingBackFromDeadSchedulesAChurnSyncButStateChangesDoNot() {
        assertEquals(List.of(), syncer.onChange(change(alive(SELF), null)), "not for this node");
        Member dead = member("a", 1, NodeState.DEAD, 0);
        assertEquals(List.of(), syncer.onChange(change(dead, null)));
        Member suspect = member("a", 1, NodeState.SUSPECT, 0);
        assertEquals(List.of(), syncer.onChange(change(alive("a"), suspect)));
        assertEquals(
                1,
                syncer.onChange(change(member("a", 2, NodeState.ALIVE, 0), dead))
                        .size());
    }

    @Test
    void churnSyncsRepeatUntilThreeDelaysPassWithoutAJoin() {
        syncer.onChange(change(member("a", 1, NodeState.ALIVE, 0), null));
        for (int round = 1; round <= 3; round++) {
            List<Effect> tick = syncer.onTimer(Syncer.ChurnSyncTick.INSTANCE, round * CHURN_DELAY);
            assertEquals(1, only(tick, Effect.Request.class).size(), "round " + round);
            boolean again = !only(tick, Effect.StartTimer.class).isEmpty();
            assertEquals(round < 3, again, "round " + round + ": another churn sync follows while joins are recent");
        }
        // A later join starts them again.
        assertEquals(
                1,
                syncer.onChange(change(member("b", 1, NodeState.ALIVE, 10 * SECOND), null))
                        .size());
    }

    @Test
    void churnSyncsStayWithinTheirBudgetUnderEndlessChurn() {
        int exchanges = 0;
        for (int round = 1; round <= 20; round++) {
            long now = round * CHURN_DELAY;
            syncer.onChange(change(member("m" + round, 1, NodeState.ALIVE, now - 1), null));
            exchanges += only(syncer.onTimer(Syncer.ChurnSyncTick.INSTANCE, now), Effect.Request.class)
                    .size();
        }
        // 20 rounds of 600 ms are 12 s, within one 30 s budget window: three exchanges, not twenty.
        assertEquals(3, exchanges);
    }

    @Test
    void joinRetriesWaitLongerEachTimeAndStopAtTheDeadline() {
        // lan: the retry base doubles from the 200 ms gossip interval, capped by the 10 s stream timeout.
        for (int i = 0; i < 50; i++) {
            long first = syncer.joinRetryDelay(1, 20 * SECOND);
            assertTrue(first >= 200 * MS && first < 600 * MS, "first retry after " + first);
            long third = syncer.joinRetryDelay(3, 20 * SECOND);
            assertTrue(third >= 800 * MS && third < 2400 * MS, "third retry after " + third);
        }
        assertEquals(-1, syncer.joinRetryDelay(Syncer.JOIN_ATTEMPTS, 20 * SECOND), "out of attempts");
        assertEquals(-1, syncer.joinRetryDelay(1, 100 * MS), "no time left before the join's deadline");
        assertEquals(20 * SECOND, syncer.joinDeadlineNanos());
    }

    @Test
    void zeroChurnSyncDelayDisablesIt() {
        Syncer s = syncer(
                MembershipConfig.lan().toBuilder().churnSyncDelay(Duration.ZERO).build());
        assertEquals(List.of(), s.onChange(change(alive("a"), null)));
    }

    private Effect.Changed change(Member after, Member before) {
        MemberView view = feed.view().with(after);
        return new Effect.Changed(view, before, after);
    }

    @Test
    void foreignTimerIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> syncer.onTimer(Prober.ProbeTick.INSTANCE, 0));
    }
}
