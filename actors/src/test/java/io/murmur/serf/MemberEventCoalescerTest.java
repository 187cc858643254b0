package io.murmur.serf;

import static io.murmur.serf.CoalesceFixtures.join;
import static io.murmur.serf.CoalesceFixtures.member;
import static io.murmur.serf.CoalesceFixtures.members;
import static io.murmur.serf.CoalesceFixtures.named;
import static io.murmur.serf.CoalesceFixtures.user;
import static io.murmur.serf.SerfEvent.Type.MEMBER_FAILED;
import static io.murmur.serf.SerfEvent.Type.MEMBER_LEAVE;
import static io.murmur.serf.SerfEvent.Type.MEMBER_REAP;
import static io.murmur.serf.SerfEvent.Type.MEMBER_UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberEventCoalescerTest {

    private final MemberEventCoalescer coalescer = new MemberEventCoalescer();

    @Test
    void handlesMemberEventsOnly() {
        assertTrue(coalescer.handles(join("a")));
        assertFalse(coalescer.handles(user("deploy", 1, "x", true)));
        assertFalse(coalescer.handles(CoalesceFixtures.marker(1)));
        assertThrows(IllegalArgumentException.class, () -> coalescer.add(user("deploy", 1, "x", true)));
    }

    @Test
    void latestTypeOfAMemberWins() {
        coalescer.add(join("a"));
        coalescer.add(named(MEMBER_FAILED, "a"));
        coalescer.add(named(MEMBER_LEAVE, "a"));

        assertEquals(List.of(named(MEMBER_LEAVE, "a")), coalescer.flush());
    }

    @Test
    void emitsOneEventPerTypeWithAllItsMembersInTypeOrder() {
        coalescer.add(named(MEMBER_FAILED, "c"));
        coalescer.add(join("a"));
        coalescer.add(join("b", "d"));
        coalescer.add(named(MEMBER_REAP, "e"));

        assertEquals(
                List.of(join("a", "b", "d"), named(MEMBER_FAILED, "c"), named(MEMBER_REAP, "e")), coalescer.flush());
    }

    @Test
    void aTypeEqualToTheLastEmittedForThatMemberIsSuppressed() {
        coalescer.add(join("a", "b"));
        assertEquals(List.of(join("a", "b")), coalescer.flush());

        // a flapped (failed, then joined again) within one window: nothing new to report for it
        coalescer.add(named(MEMBER_FAILED, "a"));
        coalescer.add(join("a"));
        coalescer.add(named(MEMBER_LEAVE, "b"));
        assertEquals(List.of(named(MEMBER_LEAVE, "b")), coalescer.flush());

        coalescer.add(named(MEMBER_LEAVE, "b"));
        assertEquals(List.of(), coalescer.flush());
    }

    @Test
    void aTypeChangeSinceTheLastEmitIsReported() {
        coalescer.add(join("a"));
        coalescer.flush();
        coalescer.add(named(MEMBER_FAILED, "a"));
        assertEquals(List.of(named(MEMBER_FAILED, "a")), coalescer.flush());
        coalescer.add(join("a"));
        assertEquals(List.of(join("a")), coalescer.flush());
    }

    @Test
    void updateAlwaysPassesWithTheLatestTags() {
        coalescer.add(members(MEMBER_UPDATE, member("a", Map.of("role", "web"))));
        assertEquals(List.of(members(MEMBER_UPDATE, member("a", Map.of("role", "web")))), coalescer.flush());

        coalescer.add(members(MEMBER_UPDATE, member("a", Map.of("role", "db"))));
        coalescer.add(members(MEMBER_UPDATE, member("a", Map.of("role", "cache"))));
        assertEquals(List.of(members(MEMBER_UPDATE, member("a", Map.of("role", "cache")))), coalescer.flush());
    }

    @Test
    void membersComeInTheOrderOfTheirLatestEvent() {
        coalescer.add(join("a", "b"));
        coalescer.add(join("a"));
        assertEquals(List.of(join("b", "a")), coalescer.flush());
    }

    @Test
    void flushEmptiesThePendingState() {
        assertTrue(coalescer.isEmpty());
        coalescer.add(join("a"));
        assertFalse(coalescer.isEmpty());
        coalescer.flush();
        assertTrue(coalescer.isEmpty());
        assertEquals(List.of(), coalescer.flush());
    }

    @Test
    void aReapedMemberIsForgottenSoItsNextJoinIsNews() {
        MemberEventCoalescer c = new MemberEventCoalescer();
        SerfMember m = new SerfMember(
                "gone", new io.murmur.protocol.Address("10.0.0.1", 1), java.util.Map.of(), MemberStatus.ALIVE);
        c.add(new SerfEvent.Members(SerfEvent.Type.MEMBER_JOIN, java.util.List.of(m)));
        c.flush();
        c.add(new SerfEvent.Members(SerfEvent.Type.MEMBER_REAP, java.util.List.of(m)));
        org.junit.jupiter.api.Assertions.assertEquals(1, c.flush().size());
        c.add(new SerfEvent.Members(SerfEvent.Type.MEMBER_JOIN, java.util.List.of(m)));
        org.junit.jupiter.api.Assertions.assertEquals(1, c.flush().size(), "a join after the reap is reported");
    }
}
