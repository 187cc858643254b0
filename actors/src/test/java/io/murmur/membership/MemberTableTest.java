package io.murmur.membership;

import static io.murmur.membership.CoreFixtures.MS;
import static io.murmur.membership.CoreFixtures.SECOND;
import static io.murmur.membership.CoreFixtures.addressOf;
import static io.murmur.membership.CoreFixtures.info;
import static io.murmur.membership.CoreFixtures.none;
import static io.murmur.membership.CoreFixtures.only;
import static io.murmur.membership.CoreFixtures.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Dead;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** memberlist's precedence rules ({@code aliveNode}, {@code suspectNode}, {@code deadNode}) on the member table. */
class MemberTableTest {

    private static final String SELF = "self";
    private static final NodeInfo SELF_INFO = info(SELF);
    private static final Bytes META = Bytes.utf8("role=web");

    private MemberTable table;

    @BeforeEach
    void startTable() {
        table = started(MembershipConfig.lan());
    }

    private static MemberTable started(MembershipConfig config) {
        MemberTable t = new MemberTable(SELF_INFO, config);
        t.start(0);
        return t;
    }

    private List<Effect> apply(Message m, long now) {
        return table.apply(m, now);
    }

    private Member get(String name) {
        return table.view().getOrNull(name);
    }

    /** Adds {@code name} alive at {@code incarnation} (at time 0). */
    private void join(String name, long incarnation) {
        apply(new Alive(incarnation, info(name)), 0);
        assertEquals(NodeState.ALIVE, get(name).state());
    }

    private static MemberEvent.Type eventType(List<Effect> effects) {
        return single(effects, Effect.Emit.class).event().type();
    }

    // ---------------------------------------------------------------------------------------------------------
    // start, alive

    @Test
    void startDeclaresSelfAliveAtIncarnationOneAndEmitsJoin() {
        MemberTable t = new MemberTable(SELF_INFO, MembershipConfig.lan());
        List<Effect> effects = t.start(5);

        assertEquals(1, t.incarnation());
        Member me = t.view().getOrNull(SELF);
        assertEquals(NodeState.ALIVE, me.state());
        assertEquals(1, me.incarnation());
        assertEquals(5, me.stateChangeNanos());
        assertEquals(
                new Effect.Broadcast(SELF, new Alive(1, SELF_INFO), null), single(effects, Effect.Broadcast.class));
        assertEquals(MemberEvent.Type.JOIN, eventType(effects));
        Effect.Changed changed = single(effects, Effect.Changed.class);
        assertNull(changed.before());
        assertEquals(me, changed.after());
    }

    @Test
    void aliveAboutUnknownNodeAddsItBroadcastsItAndEmitsJoin() {
        Alive a = new Alive(3, info("a"));
        List<Effect> effects = apply(a, 7 * SECOND);

        Member m = get("a");
        assertEquals(3, m.incarnation());
        assertEquals(NodeState.ALIVE, m.state());
        assertEquals(7 * SECOND, m.stateChangeNanos());
        assertEquals(new Effect.Broadcast("a", a, null), single(effects, Effect.Broadcast.class));
        assertEquals(MemberEvent.Type.JOIN, eventType(effects));
        Effect.Changed c = single(effects, Effect.Changed.class);
        assertNull(c.before());
        assertEquals(m, c.after());
        assertEquals(table.view(), c.view());
    }

    @Test
    void aliveWithHigherIncarnationReplacesAndIsBroadcast() {
        join("a", 1);
        Alive newer = new Alive(2, info("a"));
        List<Effect> effects = apply(newer, SECOND);

        assertEquals(2, get("a").incarnation());
        assertEquals(new Effect.Broadcast("a", newer, null), single(effects, Effect.Broadcast.class));
        assertTrue(none(effects, Effect.Emit.class), "same meta, still alive: no event");
        assertEquals(0, get("a").stateChangeNanos(), "an alive member stays alive since it first became alive");
    }

    @Test
    void aliveWithEqualIncarnationIsIgnored() {
        join("a", 4);
        assertEquals(List.of(), apply(new Alive(4, info("a").withMeta(META)), SECOND));
        assertEquals(Bytes.EMPTY, get("a").meta());
    }

    @Test
    void aliveWithLowerIncarnationIsIgnored() {
        join("a", 4);
        assertEquals(List.of(), apply(new Alive(3, info("a").withMeta(META)), SECOND));
        assertEquals(4, get("a").incarnation());
    }

    @Test
    void aliveWithNewMetaEmitsUpdate() {
        join("a", 1);
        List<Effect> effects = apply(new Alive(2, info("a").withMeta(META)), SECOND);

        assertEquals(MemberEvent.Type.UPDATE, eventType(effects));
        assertEquals(META, get("a").meta());
    }

    @Test
    void aliveWithHigherIncarnationClearsSuspicion() {
        join("a", 1);
        apply(new Suspect(1, "a", "b"), SECOND);
        List<Effect> effects = apply(new Alive(2, info("a")), 2 * SECOND);

        assertEquals(new Effect.StopSuspicion("a"), single(effects, Effect.StopSuspicion.class));
        assertEquals(NodeState.ALIVE, get("a").state());
        assertEquals(2 * SECOND, get("a").stateChangeNanos());
        assertTrue(none(effects, Effect.Emit.class), "suspect to alive is no membership event");
    }

    @Test
    void aliveWithEqualIncarnationDoesNotClearSuspicion() {
        join("a", 1);
        apply(new Suspect(1, "a", "b"), SECOND);
        assertEquals(List.of(), apply(new Alive(1, info("a")), 2 * SECOND));
        assertEquals(NodeState.SUSPECT, get("a").state());
    }

    @Test
    void aliveWithHigherIncarnationRevivesDeadMemberWithJoin() {
        join("a", 1);
        apply(new Dead(1, "a", "b"), SECOND);
        List<Effect> effects = apply(new Alive(2, info("a")), 2 * SECOND);

        assertEquals(MemberEvent.Type.JOIN, eventType(effects));
        assertEquals(NodeState.ALIVE, get("a").state());
        assertEquals(2 * SECOND, get("a").stateChangeNanos());
    }

    @Test
    void aliveWithHigherIncarnationRevivesLeftMemberWithJoin() {
        join("a", 1);
        apply(new Dead(1, "a", "a"), SECOND);
        assertEquals(NodeState.LEFT, get("a").state());
        assertEquals(MemberEvent.Type.JOIN, eventType(apply(new Alive(2, info("a")), 2 * SECOND)));
    }

    @Test
    void aliveWithEqualOrLowerIncarnationDoesNotReviveDeadMember() {
        join("a", 3);
        apply(new Dead(3, "a", "b"), SECOND);
        assertEquals(List.of(), apply(new Alive(3, info("a")), 2 * SECOND));
        assertEquals(List.of(), apply(new Alive(2, info("a")), 2 * SECOND));
        assertEquals(NodeState.DEAD, get("a").state());
    }

    // ---------------------------------------------------------------------------------------------------------
    // suspect

    @Test
    void suspectWithEqualIncarnationMakesAliveMemberSuspect() {
        join("a", 2);
        Suspect s = new Suspect(2, "a", "b");
        List<Effect> effects = apply(s, 3 * SECOND);

        Member m = get("a");
        assertEquals(NodeState.SUSPECT, m.state());
        assertEquals(3 * SECOND, m.stateChangeNanos());
        assertEquals(new Effect.Broadcast("a", s, null), single(effects, Effect.Broadcast.class));
        Effect.StartSuspicion start = single(effects, Effect.StartSuspicion.class);
        assertEquals("a", start.node());
        assertEquals(2, start.incarnation());
        assertEquals("b", start.from());
        assertTrue(none(effects, Effect.Emit.class), "suspicion is no membership event");
    }

    @Test
    void suspectWithHigherIncarnationIsAdopted() {
        join("a", 2);
        apply(new Suspect(5, "a", "b"), SECOND);
        assertEquals(NodeState.SUSPECT, get("a").state());
        assertEquals(5, get("a").incarnation());
    }

    @Test
    void suspectWithLowerIncarnationIsIgnored() {
        join("a", 2);
        assertEquals(List.of(), apply(new Suspect(1, "a", "b"), SECOND));
        assertEquals(NodeState.ALIVE, get("a").state());
    }

    @Test
    void suspectOfUnknownNodeIsIgnored() {
        assertEquals(List.of(), apply(new Suspect(1, "nobody", "b"), SECOND));
        assertNull(get("nobody"));
    }

    @Test
    void suspectOfDeadOrLeftMemberIsIgnored() {
        join("a", 1);
        join("b", 1);
        apply(new Dead(1, "a", "c"), SECOND);
        apply(new Dead(1, "b", "b"), SECOND);
        assertEquals(List.of(), apply(new Suspect(1, "a", "c"), 2 * SECOND));
        assertEquals(List.of(), apply(new Suspect(2, "b", "c"), 2 * SECOND));
        assertEquals(NodeState.DEAD, get("a").state());
        assertEquals(NodeState.LEFT, get("b").state());
    }

    @Test
    void suspectOfSuspectMemberConfirmsSuspicion() {
        join("a", 1);
        apply(new Suspect(1, "a", "b"), SECOND);
        Suspect again = new Suspect(1, "a", "c");
        List<Effect> effects = apply(again, 2 * SECOND);

        assertEquals(List.of(new Effect.ConfirmSuspicion("a", again)), effects);
        assertEquals(SECOND, get("a").stateChangeNanos());
    }

    @Test
    void suspectWithLowerIncarnationDoesNotConfirm() {
        join("a", 3);
        apply(new Suspect(3, "a", "b"), SECOND);
        assertEquals(List.of(), apply(new Suspect(2, "a", "c"), 2 * SECOND));
    }

    /** Reference §1.2 derived table: suspicion min / max by profile and cluster size; k = suspicion-mult - 2. */
    @ParameterizedTest(name = "{0} N={1}: {2}s / {3}s, k={4}")
    @CsvSource({
        "lan, 10, 4, 24, 2",
        "lan, 100, 8, 48, 2",
        "lan, 1000, 12, 72, 2",
        "wan, 10, 30, 180, 4",
        "wan, 100, 60, 360, 4",
        "local, 10, 3, 18, 1",
        "local, 100, 6, 36, 1",
    })
    void startSuspicionCarriesLifeguardParameters(String profile, int n, long minSeconds, long maxSeconds, int k) {
        table = started(MembershipConfig.fromProfile(profile));
        for (int i = 1; i < n; i++) {
            join("n" + i, 1);
        }
        assertEquals(n, table.view().size());

        Effect.StartSuspicion start = single(apply(new Suspect(1, "n1", "n2"), SECOND), Effect.StartSuspicion.class);

        assertEquals(minSeconds * SECOND, start.minNanos());
        assertEquals(maxSeconds * SECOND, start.maxNanos());
        assertEquals(k, start.confirmationsNeeded());
    }

    @Test
    void suspicionNeedsNoConfirmationsWhenTooFewOtherMembers() {
        // LAN: k = 4 - 2 = 2, and k becomes 0 when N - 2 < k, i.e. N < 4.
        join("a", 1);
        join("b", 1);
        assertEquals(3, table.view().size());
        assertEquals(
                0,
                single(apply(new Suspect(1, "a", "b"), SECOND), Effect.StartSuspicion.class)
                        .confirmationsNeeded());

        table = started(MembershipConfig.lan());
        join("a", 1);
        join("b", 1);
        join("c", 1);
        assertEquals(
                2,
                single(apply(new Suspect(1, "a", "b"), SECOND), Effect.StartSuspicion.class)
                        .confirmationsNeeded());
    }

    @Test
    void suspicionScaleCountsDeadMembersToo() {
        // memberlist's estNumNodes counts every node in the map: 10 members, most of them dead, still N = 10.
        for (int i = 1; i < 10; i++) {
            join("n" + i, 1);
        }
        for (int i = 2; i < 10; i++) {
            apply(new Dead(1, "n" + i, SELF), SECOND);
        }
        Effect.StartSuspicion start = single(apply(new Suspect(1, "n1", SELF), SECOND), Effect.StartSuspicion.class);
        assertEquals(4 * SECOND, start.minNanos());
    }

    @ParameterizedTest(name = "mult={0} N={1} interval={2}ms: {3}ms")
    @CsvSource({
        "4, 0, 1000, 4000",
        "4, 1, 1000, 4000",
        "4, 9, 1000, 4000",
        "4, 10, 1000, 4000",
        "4, 100, 1000, 8000",
        "4, 1000, 1000, 12000",
        "4, 10000, 1000, 16000",
        "6, 10000, 5000, 120000",
        "3, 10000, 1000, 12000",
        // log10(20) = 1.30103 is truncated to 1.301 before scaling, as memberlist does
        "4, 20, 1000, 5204",
    })
    void suspicionTimeoutFollowsMemberlistFormula(int mult, int n, long intervalMillis, long expectedMillis) {
        assertEquals(expectedMillis * MS, MemberTable.suspicionTimeout(mult, n, intervalMillis * MS));
    }

    // ---------------------------------------------------------------------------------------------------------
    // dead

    @Test
    void deadWithEqualIncarnationMarksMemberDeadAndEmitsFailed() {
        join("a", 2);
        Dead d = new Dead(2, "a", "b");
        List<Effect> effects = apply(d, 4 * SECOND);

        Member m = get("a");
        assertEquals(NodeState.DEAD, m.state());
        assertEquals(4 * SECOND, m.stateChangeNanos());
        assertEquals(new Effect.Broadcast("a", d, null), single(effects, Effect.Broadcast.class));
        assertEquals(MemberEvent.Type.FAILED, eventType(effects));
        assertEquals(m, single(effects, Effect.Emit.class).event().member());
    }

    @Test
    void deadWithHigherIncarnationIsAdopted() {
        join("a", 2);
        apply(new Dead(7, "a", "b"), SECOND);
        assertEquals(NodeState.DEAD, get("a").state());
        assertEquals(7, get("a").incarnation());
    }

    @Test
    void deadWithLowerIncarnationIsIgnored() {
        join("a", 2);
        assertEquals(List.of(), apply(new Dead(1, "a", "b"), SECOND));
        assertEquals(NodeState.ALIVE, get("a").state());
    }

    @Test
    void deadOfUnknownNodeIsIgnored() {
        assertEquals(List.of(), apply(new Dead(1, "nobody", "b"), SECOND));
        assertNull(get("nobody"));
    }

    @Test
    void deadOfDeadOrLeftMemberIsIgnored() {
        join("a", 1);
        join("b", 1);
        apply(new Dead(1, "a", "c"), SECOND);
        apply(new Dead(1, "b", "b"), SECOND);
        assertEquals(List.of(), apply(new Dead(2, "a", "c"), 2 * SECOND));
        assertEquals(List.of(), apply(new Dead(2, "b", "b"), 2 * SECOND));
        assertEquals(List.of(), apply(new Dead(2, "a", "a"), 2 * SECOND), "a dead member does not leave later");
        assertEquals(NodeState.DEAD, get("a").state());
        assertEquals(1, get("a").incarnation());
        assertEquals(SECOND, get("a").stateChangeNanos());
    }

    @Test
    void deadOfSuspectMemberStopsSuspicion() {
        join("a", 1);
        apply(new Suspect(1, "a", "b"), SECOND);
        List<Effect> effects = apply(new Dead(1, "a", "c"), 2 * SECOND);
        assertEquals(new Effect.StopSuspicion("a"), single(effects, Effect.StopSuspicion.class));
        assertEquals(NodeState.DEAD, get("a").state());
        assertEquals(MemberEvent.Type.FAILED, eventType(effects));
    }

    @Test
    void deadWithNodeEqualToFromMarksMemberLeftAndEmitsLeave() {
        join("a", 1);
        Dead leave = new Dead(1, "a", "a");
        List<Effect> effects = apply(leave, SECOND);

        assertEquals(NodeState.LEFT, get("a").state());
        assertEquals(MemberEvent.Type.LEAVE, eventType(effects));
        assertEquals(new Effect.Broadcast("a", leave, null), single(effects, Effect.Broadcast.class));
    }

    // ---------------------------------------------------------------------------------------------------------
    // refutation

    private static void assertRefutedTo(long incarnation, List<Effect> effects, MemberTable t) {
        assertEquals(incarnation, t.incarnation());
        Member me = t.view().getOrNull(SELF);
        assertEquals(NodeState.ALIVE, me.state());
        assertEquals(incarnation, me.incarnation());
        assertEquals(SELF_INFO, me.info(), "the refutation carries our own identity");
        assertEquals(new Effect.AdjustHealth(1), single(effects, Effect.AdjustHealth.class));
        assertEquals(
                new Effect.Broadcast(SELF, new Alive(incarnation, SELF_INFO), null),
                single(effects, Effect.Broadcast.class));
        assertTrue(none(effects, Effect.Emit.class), "a refutation is no membership event");
        assertTrue(none(effects, Effect.StartSuspicion.class));
    }

    @Test
    void suspectOfSelfIsRefutedWithHigherIncarnation() {
        List<Effect> effects = apply(new Suspect(1, SELF, "a"), SECOND);
        assertRefutedTo(2, effects, table);
    }

    @Test
    void suspectOfSelfWithFutureIncarnationIsRefutedPastIt() {
        List<Effect> effects = apply(new Suspect(10, SELF, "a"), SECOND);
        assertRefutedTo(11, effects, table);
    }

    @Test
    void suspectOfSelfWithStaleIncarnationIsIgnored() {
        apply(new Suspect(1, SELF, "a"), SECOND);
        assertEquals(List.of(), apply(new Suspect(1, SELF, "b"), 2 * SECOND));
        assertEquals(2, table.incarnation());
    }

    @Test
    void deadOfSelfIsRefutedWithHigherIncarnation() {
        List<Effect> effects = apply(new Dead(1, SELF, "a"), SECOND);
        assertRefutedTo(2, effects, table);
    }

    @Test
    void deadOfSelfWithFutureIncarnationIsRefutedPastIt() {
        assertRefutedTo(43, apply(new Dead(42, SELF, "a"), SECOND), table);
    }

    @Test
    void leaveOfSelfSentByAnotherIncarnationOfUsIsRefutedWhenNotLeaving() {
        // Dead(self, self) that this node did not send, e.g. from a previous run under the same name.
        assertRefutedTo(2, apply(new Dead(1, SELF, SELF), SECOND), table);
        assertFalse(table.isLeaving());
    }

    @Test
    void aliveOfSelfWithOtherMetaIsRefuted() {
        assertRefutedTo(2, apply(new Alive(1, SELF_INFO.withMeta(META)), SECOND), table);
        assertEquals(Bytes.EMPTY, get(SELF).meta());
    }

    @Test
    void aliveOfSelfWithHigherIncarnationIsRefuted() {
        assertRefutedTo(6, apply(new Alive(5, SELF_INFO), SECOND), table);
    }

    @Test
    void ownAliveComingBackIsIgnored() {
        assertEquals(List.of(), apply(new Alive(1, SELF_INFO), SECOND));
        assertEquals(1, table.incarnation());
    }

    @Test
    void aliveOfSelfWithLowerIncarnationIsIgnored() {
        apply(new Suspect(3, SELF, "a"), SECOND);
        assertEquals(4, table.incarnation());
        assertEquals(List.of(), apply(new Alive(2, SELF_INFO.withMeta(META)), 2 * SECOND));
        assertEquals(4, table.incarnation());
    }

    @Test
    void accusationAtTheLargestIncarnationIsRefutedAtTheLargestWithoutFailing() {
        // Nothing outbids uint32's maximum; the table must neither throw nor get out of step with its view.
        List<Effect> effects = apply(new Suspect(Message.MAX_INCARNATION, SELF, "a"), SECOND);
        assertEquals(Message.MAX_INCARNATION, table.incarnation());
        assertEquals(Message.MAX_INCARNATION, get(SELF).incarnation());
        assertEquals(NodeState.ALIVE, get(SELF).state());
        assertEquals(
                new Effect.Broadcast(SELF, new Alive(Message.MAX_INCARNATION, SELF_INFO), null),
                single(effects, Effect.Broadcast.class));

        apply(new Dead(Message.MAX_INCARNATION, SELF, "a"), 2 * SECOND);
        table.updateMeta(META, 3 * SECOND);
        assertEquals(Message.MAX_INCARNATION, table.incarnation());
        assertEquals(Message.MAX_INCARNATION, get(SELF).incarnation());
        assertEquals(META, get(SELF).meta());
        assertEquals(NodeState.ALIVE, get(SELF).state());
    }

    @Test
    void refutationKeepsSelfAliveSinceStart() {
        apply(new Suspect(1, SELF, "a"), 9 * SECOND);
        assertEquals(0, get(SELF).stateChangeNanos());
    }

    // ---------------------------------------------------------------------------------------------------------
    // leave

    @Test
    void leaveDeclaresSelfLeftAndBroadcastsDeadWithToken() {
        join("a", 1);
        Object token = new Object();
        List<Effect> effects = table.leave(token, SECOND);

        assertTrue(table.isLeaving());
        assertEquals(NodeState.LEFT, get(SELF).state());
        assertEquals(
                new Effect.Broadcast(SELF, new Dead(1, SELF, SELF), token), single(effects, Effect.Broadcast.class));
        assertEquals(MemberEvent.Type.LEAVE, eventType(effects));
        assertTrue(none(effects, Effect.BroadcastDone.class), "done only once the broadcast has gone out");
    }

    @Test
    void leaveWhenAloneIsDoneAtOnce() {
        Object token = new Object();
        List<Effect> effects = table.leave(token, SECOND);

        assertEquals(new Effect.BroadcastDone(token), single(effects, Effect.BroadcastDone.class));
        Effect.Broadcast b = single(effects, Effect.Broadcast.class);
        assertNull(b.doneToken(), "the token must not be reported a second time");
        assertEquals(NodeState.LEFT, get(SELF).state());
    }

    @Test
    void leaveWhenEveryOtherMemberIsDeadOrLeftIsDoneAtOnce() {
        join("a", 1);
        join("b", 1);
        apply(new Dead(1, "a", SELF), SECOND);
        apply(new Dead(1, "b", "b"), SECOND);
        Object token = new Object();
        assertEquals(
                new Effect.BroadcastDone(token), single(table.leave(token, 2 * SECOND), Effect.BroadcastDone.class));
    }

    @Test
    void leaveWithOnlySuspectOthersStillWaitsForTheBroadcast() {
        join("a", 1);
        apply(new Suspect(1, "a", "b"), SECOND);
        Object token = new Object();
        List<Effect> effects = table.leave(token, SECOND);
        assertTrue(none(effects, Effect.BroadcastDone.class));
        assertEquals(token, single(effects, Effect.Broadcast.class).doneToken());
    }

    @Test
    void secondLeaveIsDoneAtOnce() {
        join("a", 1);
        table.leave(new Object(), SECOND);
        Object second = new Object();
        assertEquals(List.of(new Effect.BroadcastDone(second)), table.leave(second, 2 * SECOND));
    }

    @Test
    void noRefutationWhileLeaving() {
        join("a", 1);
        table.leave(new Object(), SECOND);
        long inc = table.incarnation();

        assertEquals(List.of(), apply(new Suspect(inc, SELF, "a"), 2 * SECOND));
        assertEquals(List.of(), apply(new Dead(inc + 5, SELF, "a"), 2 * SECOND));
        assertEquals(List.of(), apply(new Alive(inc + 5, SELF_INFO.withMeta(META)), 2 * SECOND));
        assertEquals(List.of(), apply(new Alive(inc, SELF_INFO), 2 * SECOND));

        assertEquals(inc, table.incarnation());
        assertEquals(NodeState.LEFT, get(SELF).state());
    }

    @Test
    void updateMetaWhileLeavingIsIgnored() {
        join("a", 1);
        table.leave(new Object(), SECOND);
        assertEquals(List.of(), table.updateMeta(META, 2 * SECOND));
        assertEquals(Bytes.EMPTY, get(SELF).meta());
    }

    // ---------------------------------------------------------------------------------------------------------
    // updateMeta

    @Test
    void updateMetaReadvertisesWithHigherIncarnationAndEmitsUpdate() {
        List<Effect> effects = table.updateMeta(META, 3 * SECOND);

        assertEquals(2, table.incarnation());
        Member me = get(SELF);
        assertEquals(META, me.meta());
        assertEquals(2, me.incarnation());
        assertEquals(NodeState.ALIVE, me.state());
        assertEquals(0, me.stateChangeNanos());
        assertEquals(
                new Effect.Broadcast(SELF, new Alive(2, SELF_INFO.withMeta(META)), null),
                single(effects, Effect.Broadcast.class));
        assertEquals(MemberEvent.Type.UPDATE, eventType(effects));
    }

    @Test
    void ownAliveWithNewMetaComingBackAfterUpdateIsIgnored() {
        table.updateMeta(META, SECOND);
        assertEquals(List.of(), apply(new Alive(2, SELF_INFO.withMeta(META)), 2 * SECOND));
        // The old advertisement coming back late is stale.
        assertEquals(List.of(), apply(new Alive(1, SELF_INFO), 2 * SECOND));
        assertEquals(2, table.incarnation());
    }

    // ---------------------------------------------------------------------------------------------------------
    // address conflicts and reclaim

    private static NodeInfo elsewhere(String name) {
        return new NodeInfo(name, new Address(name + ".elsewhere", 7000));
    }

    @Test
    void conflictingAliveIsIgnoredAndCounted() {
        join("a", 1);
        assertOnlyConflict(apply(new Alive(9, elsewhere("a")), SECOND));
        assertEquals(addressOf("a"), get("a").address());
        assertEquals(1, get("a").incarnation());
        assertEquals(1, table.conflicts());
    }

    @Test
    void conflictingAliveForSuspectMemberIsIgnored() {
        join("a", 1);
        apply(new Suspect(1, "a", "b"), SECOND);
        assertOnlyConflict(apply(new Alive(9, elsewhere("a")), 2 * SECOND));
        assertEquals(NodeState.SUSPECT, get("a").state());
        assertEquals(1, table.conflicts());
    }

    @Test
    void conflictingAliveAboutSelfIsIgnoredAndNotRefuted() {
        assertOnlyConflict(apply(new Alive(9, elsewhere(SELF)), SECOND));
        assertEquals(1, table.incarnation());
        assertEquals(1, table.conflicts());
    }

    @Test
    void deadMemberIsNotReclaimedWhenReclaimTimeIsZero() {
        join("a", 1);
        apply(new Dead(1, "a", "b"), SECOND);
        assertOnlyConflict(apply(new Alive(2, elsewhere("a")), 1_000 * SECOND));
        assertEquals(NodeState.DEAD, get("a").state());
        assertEquals(1, table.conflicts());
    }

    @Test
    void leftMemberMayBeReclaimedAtNewAddressEvenWithLowerIncarnation() {
        join("a", 5);
        apply(new Dead(5, "a", "a"), SECOND);
        List<Effect> effects = apply(new Alive(1, elsewhere("a")), 2 * SECOND);

        Member m = get("a");
        assertEquals(NodeState.ALIVE, m.state());
        assertEquals(elsewhere("a").address(), m.address());
        assertEquals(1, m.incarnation());
        assertEquals(MemberEvent.Type.JOIN, eventType(effects));
        assertEquals(0, table.conflicts());
    }

    @Test
    void deadMemberMayBeReclaimedOnlyAfterReclaimTime() {
        table = started(MembershipConfig.lan().toBuilder()
                .deadNodeReclaimTime(Duration.ofSeconds(10))
                .build());
        join("a", 3);
        apply(new Dead(3, "a", "b"), SECOND);

        assertOnlyConflict(apply(new Alive(4, elsewhere("a")), 11 * SECOND), "exactly the reclaim time");
        assertEquals(1, table.conflicts());
        assertEquals(NodeState.DEAD, get("a").state());

        List<Effect> effects = apply(new Alive(1, elsewhere("a")), 11 * SECOND + 1);
        assertEquals(MemberEvent.Type.JOIN, eventType(effects));
        assertEquals(elsewhere("a").address(), get("a").address());
        assertEquals(1, table.conflicts());
    }

    @Test
    void aliveMemberIsNotReclaimedEvenAfterReclaimTime() {
        table = started(MembershipConfig.lan().toBuilder()
                .deadNodeReclaimTime(Duration.ofSeconds(10))
                .build());
        join("a", 1);
        assertOnlyConflict(apply(new Alive(2, elsewhere("a")), 1_000 * SECOND));
        assertEquals(1, table.conflicts());
    }

    // ---------------------------------------------------------------------------------------------------------
    // suspicion expiry

    @Test
    void suspicionExpiredDeclaresSuspectDead() {
        join("a", 2);
        apply(new Suspect(2, "a", "b"), SECOND);
        List<Effect> effects = table.suspicionExpired("a", 2, 30 * SECOND);

        assertEquals(NodeState.DEAD, get("a").state());
        assertEquals(2, get("a").incarnation());
        assertEquals(new Effect.Broadcast("a", new Dead(2, "a", SELF), null), single(effects, Effect.Broadcast.class));
        assertEquals(MemberEvent.Type.FAILED, eventType(effects));
        assertEquals(new Effect.StopSuspicion("a"), single(effects, Effect.StopSuspicion.class));
    }

    @Test
    void suspicionExpiredIsIgnoredAfterRefutation() {
        join("a", 1);
        apply(new Suspect(1, "a", "b"), SECOND);
        apply(new Alive(2, info("a")), 2 * SECOND);
        assertEquals(List.of(), table.suspicionExpired("a", 1, 30 * SECOND));
        assertEquals(NodeState.ALIVE, get("a").state());
    }

    @Test
    void suspicionExpiredIsIgnoredForAnotherIncarnation() {
        join("a", 1);
        apply(new Suspect(1, "a", "b"), SECOND);
        apply(new Alive(2, info("a")), 2 * SECOND);
        apply(new Suspect(2, "a", "b"), 3 * SECOND);

        assertEquals(List.of(), table.suspicionExpired("a", 1, 30 * SECOND), "the old suspicion's timer");
        assertEquals(NodeState.SUSPECT, get("a").state());
        assertFalse(table.suspicionExpired("a", 2, 30 * SECOND).isEmpty());
        assertEquals(NodeState.DEAD, get("a").state());
    }

    @Test
    void suspicionExpiredIsIgnoredForDeadOrUnknownMember() {
        join("a", 1);
        apply(new Suspect(1, "a", "b"), SECOND);
        apply(new Dead(1, "a", "c"), 2 * SECOND);
        assertEquals(List.of(), table.suspicionExpired("a", 1, 30 * SECOND));
        assertEquals(List.of(), table.suspicionExpired("nobody", 1, 30 * SECOND));
    }

    // ---------------------------------------------------------------------------------------------------------
    // purge

    private static final long DEAD_TIME = 30 * SECOND; // LAN gossip-to-the-dead-time

    @Test
    void deathStartsPurgeTimerForGossipToTheDeadTime() {
        join("a", 1);
        List<Effect> effects = apply(new Dead(1, "a", "b"), 5 * SECOND);
        assertEquals(
                new Effect.StartTimer(MemberTable.PurgeTimer.INSTANCE, DEAD_TIME),
                single(effects, Effect.StartTimer.class));
    }

    @Test
    void deadMemberIsPurgedAfterGossipToTheDeadTime() {
        join("a", 1);
        apply(new Dead(1, "a", "b"), 5 * SECOND);
        Member dead = get("a");

        List<Effect> effects = table.onTimer(MemberTable.PurgeTimer.INSTANCE, 5 * SECOND + DEAD_TIME);

        assertNull(get("a"));
        Effect.Changed c = single(effects, Effect.Changed.class);
        assertEquals(dead, c.before());
        assertNull(c.after());
        assertFalse(c.view().contains("a"));
        assertTrue(none(effects, Effect.StartTimer.class), "nothing else to purge");
    }

    @Test
    void leftMemberIsPurgedAfterGossipToTheDeadTime() {
        join("a", 1);
        apply(new Dead(1, "a", "a"), 0);
        table.onTimer(MemberTable.PurgeTimer.INSTANCE, DEAD_TIME);
        assertNull(get("a"));
    }

    @Test
    void earlyPurgeTimerKeepsMemberAndWaitsForTheRest() {
        join("a", 1);
        apply(new Dead(1, "a", "b"), 5 * SECOND);
        List<Effect> effects = table.onTimer(MemberTable.PurgeTimer.INSTANCE, 20 * SECOND);

        assertNotNull(get("a"));
        assertEquals(
                new Effect.StartTimer(MemberTable.PurgeTimer.INSTANCE, 15 * SECOND),
                single(effects, Effect.StartTimer.class));
    }

    @Test
    void purgeTimerIsRescheduledForLaterDepartures() {
        join("a", 1);
        join("b", 1);
        List<Effect> first = apply(new Dead(1, "a", SELF), 0);
        List<Effect> second = apply(new Dead(1, "b", SELF), 10 * SECOND);
        assertEquals(1, only(first, Effect.StartTimer.class).size());
        assertTrue(none(second, Effect.StartTimer.class), "one purge timer at a time");

        List<Effect> effects = table.onTimer(MemberTable.PurgeTimer.INSTANCE, DEAD_TIME);
        assertNull(get("a"));
        assertNotNull(get("b"));
        assertEquals(
                new Effect.StartTimer(MemberTable.PurgeTimer.INSTANCE, 10 * SECOND),
                single(effects, Effect.StartTimer.class));

        table.onTimer(MemberTable.PurgeTimer.INSTANCE, DEAD_TIME + 10 * SECOND);
        assertNull(get("b"));
    }

    @Test
    void memberThatCameBackIsNotPurged() {
        join("a", 1);
        apply(new Dead(1, "a", "b"), 0);
        apply(new Alive(2, info("a")), SECOND);

        List<Effect> effects = table.onTimer(MemberTable.PurgeTimer.INSTANCE, DEAD_TIME);
        assertEquals(NodeState.ALIVE, get("a").state());
        assertTrue(none(effects, Effect.Changed.class));
    }

    @Test
    void memberThatCameBackAndDiedAgainIsPurgedAfterItsSecondDeath() {
        join("a", 1);
        apply(new Dead(1, "a", "b"), 0);
        apply(new Alive(2, info("a")), SECOND);
        apply(new Dead(2, "a", "b"), 20 * SECOND);

        table.onTimer(MemberTable.PurgeTimer.INSTANCE, DEAD_TIME);
        assertEquals(NodeState.DEAD, get("a").state(), "its first death is too old to count");
        table.onTimer(MemberTable.PurgeTimer.INSTANCE, 20 * SECOND + DEAD_TIME);
        assertNull(get("a"));
    }

    @Test
    void selfIsNeverPurgedAfterLeaving() {
        join("a", 1);
        table.leave(new Object(), 0);
        table.onTimer(MemberTable.PurgeTimer.INSTANCE, 10 * DEAD_TIME);
        assertEquals(NodeState.LEFT, get(SELF).state());
    }

    @Test
    void foreignTimerOrMessageIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> table.onTimer(Gossiper.GossipTick.INSTANCE, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> table.apply(new Message.Nack(1), 0),
                "only alive, suspect and dead change the table");
    }

    // ---------------------------------------------------------------------------------------------------------
    // property: random message sequences

    private static final String[] NAMES = {SELF, "a", "b", "c"};
    private static final Bytes[] METAS = {Bytes.EMPTY, Bytes.utf8("x"), Bytes.utf8("y")};

    /**
     * Random sequences of alive, suspect and dead messages (and expiries, purges, meta updates, a leave) about a few
     * nodes: a member's incarnation never goes down while the table holds it, this node is alive unless it is
     * leaving, suspicion timers run exactly for the suspect members, and the events match the state transitions.
     */
    @RepeatedTest(200)
    void randomUpdatesNeverLowerIncarnationsNorKillSelf(RepetitionInfo repetition) {
        long seed = 0x6D75726D7572L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        MemberTable t = started(MembershipConfig.lan());
        Map<String, Long> incarnations = new HashMap<>();
        Set<String> suspicions = new HashSet<>();
        long now = 0;
        for (int step = 0; step < 400; step++) {
            String where = "seed " + seed + ", step " + step;
            now += random.nextLong(3 * SECOND);
            String node = NAMES[random.nextInt(NAMES.length)];
            String from = NAMES[random.nextInt(NAMES.length)];
            Member known = t.view().getOrNull(node);
            long inc = randomIncarnation(random, known);
            long at = now;
            int op = random.nextInt(100);
            String action;
            Supplier<List<Effect>> run;
            if (op < 35) {
                NodeInfo who = info(node).withMeta(METAS[random.nextInt(METAS.length)]);
                action = "alive(" + inc + ", " + node + ")";
                run = () -> t.apply(new Alive(inc, who), at);
            } else if (op < 60) {
                action = "suspect(" + inc + ", " + node + ", " + from + ")";
                run = () -> t.apply(new Suspect(inc, node, from), at);
            } else if (op < 80) {
                action = "dead(" + inc + ", " + node + ", " + from + ")";
                run = () -> t.apply(new Dead(inc, node, from), at);
            } else if (op < 88) {
                action = "suspicionExpired(" + node + ", " + inc + ")";
                run = () -> t.suspicionExpired(node, inc, at);
            } else if (op < 95) {
                action = "purge";
                run = () -> t.onTimer(MemberTable.PurgeTimer.INSTANCE, at);
            } else if (op < 99) {
                Bytes meta = METAS[random.nextInt(METAS.length)];
                action = "updateMeta";
                run = () -> t.updateMeta(meta, at);
            } else {
                action = "leave";
                run = () -> t.leave(new Object(), at);
            }
            List<Effect> effects;
            try {
                effects = run.get();
            } catch (RuntimeException e) {
                throw new AssertionError(where + ", " + action + " threw " + e, e);
            }
            String context = where + ", " + action + " -> " + effects;

            for (Effect e : effects) {
                if (e instanceof Effect.StartSuspicion s) {
                    assertTrue(suspicions.add(s.node()), "suspicion started twice: " + context);
                } else if (e instanceof Effect.StopSuspicion s) {
                    assertTrue(suspicions.remove(s.node()), "stopped a suspicion never started: " + context);
                }
            }
            assertEquals(
                    expectedEvents(effects),
                    only(effects, Effect.Emit.class).stream()
                            .map(em -> em.event().type())
                            .toList(),
                    "events: " + context);

            MemberView view = t.view();
            List<Effect.Changed> changes = only(effects, Effect.Changed.class);
            if (!changes.isEmpty()) {
                assertEquals(view, changes.get(changes.size() - 1).view(), "last change carries the view: " + context);
            }
            for (String name : NAMES) {
                Member m = view.getOrNull(name);
                if (m == null) {
                    incarnations.remove(name);
                    continue;
                }
                Long before = incarnations.put(name, m.incarnation());
                assertTrue(
                        before == null || m.incarnation() >= before,
                        name + " went from incarnation " + before + " to " + m.incarnation() + ": " + context);
                assertEquals(
                        m.state() == NodeState.SUSPECT, suspicions.contains(name), "timer of " + name + ": " + context);
            }
            Member me = view.getOrNull(SELF);
            assertNotNull(me, where);
            assertEquals(t.isLeaving() ? NodeState.LEFT : NodeState.ALIVE, me.state(), "self: " + context);
            assertEquals(t.incarnation(), me.incarnation(), "self incarnation: " + context);
            assertEquals(
                    view.all().stream()
                            .filter(m -> m.state() == NodeState.ALIVE)
                            .count(),
                    view.aliveCount(),
                    where);
            assertEquals(
                    view.all().stream()
                            .filter(m -> m.state() == NodeState.SUSPECT)
                            .count(),
                    view.suspectCount(),
                    where);
        }
    }

    /** Mostly small, often near the member's own, now and then the largest uint32. */
    private static long randomIncarnation(SplittableRandom random, Member known) {
        if (random.nextInt(50) == 0) {
            return Message.MAX_INCARNATION - random.nextInt(2);
        } else if (known != null && random.nextBoolean()) {
            return Math.max(0, Math.min(Message.MAX_INCARNATION, known.incarnation() + random.nextInt(-1, 2)));
        }
        return random.nextLong(0, 12);
    }

    /** The member events that the table's changes amount to, in memberlist's terms. */
    private static List<MemberEvent.Type> expectedEvents(List<Effect> effects) {
        List<MemberEvent.Type> out = new ArrayList<>();
        for (Effect.Changed c : only(effects, Effect.Changed.class)) {
            Member b = c.before();
            Member a = c.after();
            if (a == null) {
                continue;
            }
            boolean wasGone = b == null || b.state().isDeadOrLeft();
            if (a.state() == NodeState.ALIVE && wasGone) {
                out.add(MemberEvent.Type.JOIN);
            } else if (a.state() == NodeState.DEAD && !wasGone) {
                out.add(MemberEvent.Type.FAILED);
            } else if (a.state() == NodeState.LEFT && !wasGone) {
                out.add(MemberEvent.Type.LEAVE);
            } else if (a.state() == NodeState.ALIVE && !b.meta().equals(a.meta())) {
                out.add(MemberEvent.Type.UPDATE);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // view bookkeeping

    @Test
    void viewCountsAliveAndSuspectMembers() {
        join("a", 1);
        join("b", 1);
        join("c", 1);
        apply(new Suspect(1, "a", SELF), SECOND);
        apply(new Dead(1, "b", SELF), SECOND);
        MemberView v = table.view();
        assertEquals(4, v.size());
        assertEquals(2, v.aliveCount());
        assertEquals(1, v.suspectCount());
        assertEquals(3, v.liveCount());
        assertEquals(
                List.of("a", "c", SELF), v.live().stream().map(Member::name).toList());
    }

    /** A confirmation counted by a suspicion is gossiped on only while the member is still suspect. */
    @Test
    void countedConfirmationIsRegossipedOnlyWhileStillSuspect() {
        join("a", 1);
        join("b", 1);
        join("c", 1);
        apply(new Suspect(1, "a", "b"), 0);
        Suspect confirmation = new Suspect(1, "a", "c");
        Effect.Broadcast b = single(table.confirmationCounted(confirmation), Effect.Broadcast.class);
        assertEquals(confirmation, b.message());
        // The refutation arrives before the suspicion's report: the stale suspicion must not overwrite it.
        apply(new Alive(2, info("a")), 0);
        assertTrue(table.confirmationCounted(confirmation).isEmpty());
    }

    /** Murmur: an accuser that missed this node's refutation is answered directly instead of ignored. */
    @Test
    void aStaleAccusationOfThisNodeIsAnsweredWithItsCurrentAliveToTheAccuser() {
        join("a", 1);
        apply(new Suspect(1, SELF, "a"), 0); // refuted: this node is now at incarnation 2
        long now = table.incarnation();
        for (Message stale : List.of(new Suspect(1, SELF, "a"), new Dead(1, SELF, "a"))) {
            Effect.Send answer = single(apply(stale, 0), Effect.Send.class);
            assertEquals(addressOf("a"), answer.to());
            assertEquals(List.of(new Alive(now, SELF_INFO)), answer.messages());
        }
        assertTrue(
                only(apply(new Suspect(1, SELF, "stranger"), 0), Effect.Send.class)
                        .isEmpty(),
                "unknown accuser");
        assertEquals(now, table.incarnation(), "a stale accusation is answered, not refuted again");
    }

    /** Lifeguard counts independent probes; a push/pull merge is this node reading a peer's table. */
    @Test
    void aMergedSuspicionConfirmsNothing() {
        join("a", 1);
        join("b", 1);
        join("c", 1);
        apply(new Suspect(1, "a", "b"), 0);
        assertTrue(none(table.apply(new Suspect(1, "a", SELF), 0, true), Effect.ConfirmSuspicion.class));
        assertEquals(
                1,
                only(table.apply(new Suspect(1, "a", "c"), 0, false), Effect.ConfirmSuspicion.class)
                        .size());
    }

    /** A conflicting claim changes nothing; it is only reported (memberlist's NotifyConflict). */
    private static void assertOnlyConflict(List<Effect> effects, String... message) {
        assertEquals(1, effects.size(), String.join(" ", message) + " " + effects);
        assertTrue(effects.get(0) instanceof Effect.Conflict, String.join(" ", message) + " " + effects);
    }
}
