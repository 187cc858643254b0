package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.Member;
import io.murmur.membership.MemberEvent;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;
import io.murmur.protocol.SerfMessage;
import io.murmur.protocol.SerfMessage.Query;
import io.murmur.protocol.SerfMessage.QueryResponse;
import io.murmur.store.snapshot.SnapshotState;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SerfCoreTest {

    static final long MS = 1_000_000L;
    static final Address ME = new Address("10.0.0.1", 7946);
    final SerfCore core = new SerfCore("me", ME, SerfConfig.defaults(), Map.of(), new SplittableRandom(3));

    static MemberEvent join(String name, String host) {
        return new MemberEvent(
                MemberEvent.Type.JOIN, new Member(new NodeInfo(name, new Address(host, 7946)), 1, NodeState.ALIVE, 0));
    }

    static Query query(String name, Bytes payload) {
        return new Query(
                3, 77, new Address("10.0.0.9", 7946), "asker", List.of(), List.of(), 0, 0, 3000 * MS, name, payload);
    }

    @Test
    void internalQueriesAreAnsweredByTheCoreAndNeverDelivered() {
        core.onMemberEvent(join("x", "10.0.0.5"), 0);
        List<SerfEffect> out = core.onMessage(query("_serf_conflict", Bytes.utf8("x")), 0);
        assertTrue(out.stream().noneMatch(e -> e instanceof SerfEffect.Emit), out.toString());
        QueryResponse answer = (QueryResponse) out.stream()
                .filter(e -> e instanceof SerfEffect.Send)
                .map(e -> ((SerfEffect.Send) e).message())
                .findFirst()
                .orElseThrow();
        assertEquals(Bytes.utf8("10.0.0.5:7946"), answer.payload());
        List<SerfEffect> ping = core.onMessage(query("_serf_ping", Bytes.EMPTY).withFlags(0), 0);
        assertTrue(ping.stream().noneMatch(e -> e instanceof SerfEffect.Emit));
    }

    @Test
    void applicationQueriesAreDelivered() {
        List<SerfEffect> out = core.onMessage(query("deploy-status", Bytes.EMPTY), 0);
        assertTrue(out.stream()
                .anyMatch(e -> e instanceof SerfEffect.Emit em && em.event() instanceof SerfEvent.Query));
    }

    @Test
    void aNameConflictVoteKeepsTheNameOnlyWithAMajority() {
        NameConflictVote vote = new NameConflictVote("10.0.0.1:7946");
        assertTrue(vote.keepsName(), "no answers: nothing to act on");
        vote.count(Bytes.utf8("10.0.0.1:7946"));
        vote.count(Bytes.utf8("10.0.0.2:7946"));
        assertFalse(vote.keepsName(), "a tie is no majority");
        vote.count(Bytes.utf8("10.0.0.1:7946"));
        assertTrue(vote.keepsName());
    }

    @Test
    void aRestoredSnapshotHidesOldEventsAndNamesTheMembersToRejoin() {
        List<Address> rejoin = core.restore(new SnapshotState(
                Map.of("me", "10.0.0.1:7946", "a", "10.0.0.2:7946", "b", "not an address"), 10, 20, 30, false));
        assertEquals(List.of(new Address("10.0.0.2", 7946)), rejoin);
        assertTrue(core.onMessage(new SerfMessage.UserEvent(20, "old", Bytes.EMPTY, false), 0)
                .isEmpty());
        assertFalse(core.onMessage(new SerfMessage.UserEvent(21, "new", Bytes.EMPTY, false), 0)
                .isEmpty());
        assertTrue(core.clockTimes()[1] > 21);
        SerfCore left = new SerfCore("me", ME, SerfConfig.defaults(), Map.of(), new SplittableRandom(3));
        assertTrue(
                left.restore(new SnapshotState(Map.of("a", "10.0.0.2:7946"), 1, 1, 1, true))
                        .isEmpty(),
                "after a leave, no rejoin unless rejoin-after-leave");
    }

    @Test
    void aFailedMemberStopsBeingAwaitedByQueries() {
        core.onMemberEvent(join("a", "10.0.0.2"), 0);
        core.onMemberEvent(join("me", "10.0.0.1"), 0);
        List<SerfEffect> started = core.query(
                "q",
                Bytes.EMPTY,
                QueryParams.all().withNodes(List.of("a")),
                "caller",
                java.time.Duration.ofMillis(200),
                0);
        assertTrue(started.stream().anyMatch(e -> e instanceof SerfEffect.Broadcast));
        MemberEvent failed = new MemberEvent(
                MemberEvent.Type.FAILED,
                new Member(new NodeInfo("a", new Address("10.0.0.2", 7946)), 1, NodeState.DEAD, 0));
        List<SerfEffect> out = core.onMemberEvent(failed, 1);
        assertTrue(
                out.stream().anyMatch(e -> e instanceof SerfEffect.Answer a && a.reply() instanceof QueryReply.Done),
                out.toString());
    }

    @Test
    void anOversizedQueryIsRejectedWithAReason() {
        List<SerfEffect> out = core.query(
                "q", Bytes.of(new byte[2000]), QueryParams.all(), "caller", java.time.Duration.ofMillis(200), 0);
        assertTrue(((SerfEffect.Answer) out.get(0)).reply() instanceof QueryReply.Rejected);
    }

    @Test
    void aUserEventInASmallClusterAlsoGoesToEveryMemberDirectly() {
        core.onMemberEvent(join("me", "10.0.0.1"), 0);
        core.onMemberEvent(join("a", "10.0.0.2"), 0);
        core.onMemberEvent(join("b", "10.0.0.3"), 0);
        List<SerfEffect> out = core.userEvent("deploy", Bytes.EMPTY, false);
        List<String> direct = out.stream()
                .filter(e -> e instanceof SerfEffect.Send)
                .map(e -> ((SerfEffect.Send) e).to().toString())
                .sorted()
                .toList();
        assertEquals(List.of("10.0.0.2:7946", "10.0.0.3:7946"), direct);
        SerfCore large = new SerfCore(
                "me",
                ME,
                SerfConfig.fromConfig(
                        com.typesafe.config.ConfigFactory.parseString("murmur.serf.event-direct-limit = 2")),
                Map.of(),
                new SplittableRandom(3));
        large.onMemberEvent(join("me", "10.0.0.1"), 0);
        large.onMemberEvent(join("a", "10.0.0.2"), 0);
        large.onMemberEvent(join("b", "10.0.0.3"), 0);
        assertTrue(
                large.userEvent("deploy", Bytes.EMPTY, false).stream().noneMatch(e -> e instanceof SerfEffect.Send),
                "three members are more than the limit of two: gossip only");
    }
}
