package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.Member;
import io.murmur.membership.MemberEvent;
import io.murmur.protocol.Address;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;
import io.murmur.protocol.SerfMessage.JoinIntent;
import io.murmur.protocol.SerfMessage.LeaveIntent;
import io.murmur.protocol.Tags;
import io.murmur.protocol.Versions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SerfMembersTest {

    static final long S = 1_000_000_000L;

    final SerfConfig config =
            SerfConfig.defaults().withReaping(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30));
    final SerfMembers members = new SerfMembers("self", config, new SplittableRandom(1));

    static MemberEvent event(MemberEvent.Type type, String name, Map<String, String> tags) {
        NodeInfo info = new NodeInfo(name, new Address("10.0.0.1", 7946), Tags.encode(tags), Versions.CURRENT);
        return new MemberEvent(type, new Member(info, 1, NodeState.ALIVE, 0));
    }

    static SerfEvent.Members emitted(List<SerfEffect> effects) {
        assertEquals(1, effects.size(), effects.toString());
        return (SerfEvent.Members) ((SerfEffect.Emit) effects.get(0)).event();
    }

    @Test
    void joinCarriesTheMembersTags() {
        SerfEvent.Members e =
                emitted(members.onMemberEvent(event(MemberEvent.Type.JOIN, "a", Map.of("role", "web")), 0));
        assertEquals(SerfEvent.Type.MEMBER_JOIN, e.type());
        assertEquals("web", e.members().get(0).tags().get("role"));
        assertEquals(MemberStatus.ALIVE, members.get("a").status());
    }

    @Test
    void updateOfMetaIsAMemberUpdateWithTheNewTags() {
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "a", Map.of("role", "web")), 0);
        SerfEvent.Members e =
                emitted(members.onMemberEvent(event(MemberEvent.Type.UPDATE, "a", Map.of("role", "db")), 1));
        assertEquals(SerfEvent.Type.MEMBER_UPDATE, e.type());
        assertEquals("db", members.get("a").tags().get("role"));
    }

    @Test
    void deathWithoutALeaveIntentIsAFailure() {
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "a", Map.of()), 0);
        SerfEvent.Members e = emitted(members.onMemberEvent(event(MemberEvent.Type.FAILED, "a", Map.of()), 1));
        assertEquals(SerfEvent.Type.MEMBER_FAILED, e.type());
        assertEquals(MemberStatus.FAILED, members.get("a").status());
    }

    @Test
    void deathAfterALeaveIntentIsALeave() {
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "a", Map.of()), 0);
        assertTrue(members.onLeaveIntent(new LeaveIntent(5, "a", false), 1, new ArrayList<>()));
        assertEquals(MemberStatus.LEAVING, members.get("a").status());
        SerfEvent.Members e = emitted(members.onMemberEvent(event(MemberEvent.Type.FAILED, "a", Map.of()), 2));
        assertEquals(SerfEvent.Type.MEMBER_LEAVE, e.type());
        assertEquals(MemberStatus.LEFT, members.get("a").status());
    }

    @Test
    void aLeaveThatOvertakesItsJoinIsKeptAndApplied() {
        assertTrue(members.onLeaveIntent(new LeaveIntent(7, "late", false), 0, new ArrayList<>()));
        // The same intent again is not news.
        assertFalse(members.onLeaveIntent(new LeaveIntent(7, "late", false), 0, new ArrayList<>()));
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "late", Map.of()), 1);
        assertEquals(MemberStatus.LEAVING, members.get("late").status());
        // An older join intent does not undo it; a newer one does.
        assertFalse(members.onJoinIntent(new JoinIntent(6, "late"), 2));
        assertEquals(MemberStatus.LEAVING, members.get("late").status());
        assertTrue(members.onJoinIntent(new JoinIntent(8, "late"), 3));
        assertEquals(MemberStatus.ALIVE, members.get("late").status());
    }

    @Test
    void intentsWitnessTheMemberClock() {
        members.onJoinIntent(new JoinIntent(41, "x"), 0);
        assertEquals(42, members.clock().time());
        members.onJoinIntent(new JoinIntent(3, "y"), 0);
        assertEquals(42, members.clock().time());
    }

    @Test
    void aLeaveIntentAboutSelfIsRefutedWithANewerJoin() {
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "self", Map.of()), 0);
        List<SerfEffect> out = new ArrayList<>();
        assertFalse(members.onLeaveIntent(new LeaveIntent(10, "self", false), 1, out));
        assertEquals(1, out.size());
        JoinIntent refutation = (JoinIntent) ((SerfEffect.Broadcast) out.get(0)).message();
        assertTrue(refutation.ltime() > 10);
        assertEquals(MemberStatus.ALIVE, members.get("self").status());
    }

    @Test
    void forceLeaveOfAFailedMemberMakesItLeftAndPruneForgetsIt() {
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "a", Map.of()), 0);
        members.onMemberEvent(event(MemberEvent.Type.FAILED, "a", Map.of()), 1);
        List<SerfEffect> out = members.forceLeave("a", true, 2);
        List<SerfEvent.Type> types = out.stream()
                .filter(e -> e instanceof SerfEffect.Emit)
                .map(e -> ((SerfEffect.Emit) e).event().type())
                .toList();
        assertEquals(List.of(SerfEvent.Type.MEMBER_LEAVE, SerfEvent.Type.MEMBER_REAP), types);
        assertNull(members.get("a"));
        assertTrue(out.get(out.size() - 1) instanceof SerfEffect.Broadcast);
    }

    @Test
    void failedMembersAreReapedAfterTheReconnectTimeoutAndLeftAfterTheTombstone() {
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "f", Map.of()), 0);
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "l", Map.of()), 0);
        members.onMemberEvent(event(MemberEvent.Type.FAILED, "f", Map.of()), 0);
        members.onMemberEvent(event(MemberEvent.Type.LEAVE, "l", Map.of()), 0);
        assertTrue(members.reap(29 * S).isEmpty());
        SerfEvent.Members left = emitted(members.reap(30 * S));
        assertEquals(SerfEvent.Type.MEMBER_REAP, left.type());
        assertEquals("l", left.members().get(0).name());
        assertTrue(members.reap(59 * S).isEmpty());
        assertEquals("f", emitted(members.reap(60 * S)).members().get(0).name());
    }

    @Test
    void pushPullMergeAppliesRemoteIntents() {
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "a", Map.of()), 0);
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "b", Map.of()), 0);
        members.merge(20, Map.of("a", 5L, "b", 6L), List.of("b"), 1);
        assertEquals(MemberStatus.ALIVE, members.get("a").status());
        assertEquals(MemberStatus.LEAVING, members.get("b").status());
        assertEquals(20, members.clock().time()); // witnessed remote - 1
        assertEquals(5L, members.statusLTimes().get("a"));
    }

    @Test
    void reconnectPicksAFailedMemberOnlyWhenThereIsOne() {
        members.onMemberEvent(event(MemberEvent.Type.JOIN, "a", Map.of()), 0);
        assertTrue(members.reconnect().isEmpty());
        members.onMemberEvent(event(MemberEvent.Type.FAILED, "a", Map.of()), 1);
        // One failed, none alive: probability 1.
        SerfEffect.Reconnect r = (SerfEffect.Reconnect) members.reconnect().get(0);
        assertEquals("a", r.node());
    }

    @Test
    void metadataThatIsNotTagsIsCountedAndLeavesTheMemberWithoutTags() {
        NodeInfo info =
                new NodeInfo("odd", new Address("10.0.0.9", 1), io.murmur.protocol.Bytes.utf8("x"), Versions.CURRENT);
        members.onMemberEvent(new MemberEvent(MemberEvent.Type.JOIN, new Member(info, 1, NodeState.ALIVE, 0)), 0);
        assertTrue(members.get("odd").tags().isEmpty());
        assertEquals(1, members.badTags());
    }
}
