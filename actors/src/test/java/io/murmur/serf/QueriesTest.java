package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.SerfMessage;
import io.murmur.protocol.SerfMessage.Query;
import io.murmur.protocol.SerfMessage.QueryResponse;
import io.murmur.protocol.SerfMessage.TagFilter;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueriesTest {

    static final long MS = 1_000_000L;
    static final Address ME = new Address("10.0.0.1", 1);
    final SerfConfig config = SerfConfig.defaults();
    final Queries asker = new Queries("me", ME, config, new SplittableRandom(7));
    final Object caller = "caller";

    static SerfMember member(String name, int i, Map<String, String> tags) {
        return new SerfMember(name, new Address("10.0.0." + i, 1), tags, MemberStatus.ALIVE);
    }

    final List<SerfMember> members = List.of(
            member("me", 1, Map.of("role", "web")),
            member("a", 2, Map.of("role", "db-primary")),
            member("b", 3, Map.of("role", "db-replica")),
            member("c", 4, Map.of("role", "web")));

    static <T> List<T> of(List<SerfEffect> effects, Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static List<QueryReply> replies(List<SerfEffect> effects) {
        return of(effects, SerfEffect.Answer.class).stream()
                .map(SerfEffect.Answer::reply)
                .toList();
    }

    Query started(List<SerfEffect> effects) {
        return (Query) of(effects, SerfEffect.Broadcast.class).get(0).message();
    }

    @Test
    void theAskerExpectsExactlyTheMatchingLiveMembersAndFinishesWhenAllAnswered() {
        List<SerfEffect> out =
                asker.start("who", Bytes.EMPTY, QueryParams.all().withTag("role", "db"), caller, members, 3000 * MS, 0);
        Query q = started(out);
        assertTrue(of(out, SerfEffect.Emit.class).isEmpty(), "we do not match our own filter");
        assertTrue(replies(asker.onResponse(new QueryResponse(q.ltime(), q.id(), "a", 0, Bytes.utf8("1")))).stream()
                .allMatch(r -> r instanceof QueryReply.Response));
        // A duplicate is dropped.
        assertTrue(asker.onResponse(new QueryResponse(q.ltime(), q.id(), "a", 0, Bytes.utf8("1")))
                .isEmpty());
        List<QueryReply> last = replies(asker.onResponse(new QueryResponse(q.ltime(), q.id(), "b", 0, Bytes.EMPTY)));
        QueryReply.Done done = (QueryReply.Done) last.get(1);
        assertEquals(2, done.expected());
        assertEquals(2, done.responses());
        assertFalse(done.timedOut());
        assertEquals(0, asker.inFlight());
    }

    @Test
    void retriesGoDirectlyToTheMembersThatHaveNotAnsweredOnly() {
        Query q = started(asker.start("who", Bytes.EMPTY, QueryParams.all(), caller, members, 3000 * MS, 0));
        asker.onResponse(new QueryResponse(q.ltime(), q.id(), "a", 0, Bytes.EMPTY));
        List<SerfEffect> retry = asker.onTimer(new Queries.Retry(q.id()), 400 * MS);
        List<Address> to = of(retry, SerfEffect.Send.class).stream()
                .map(SerfEffect.Send::to)
                .toList();
        // me answered itself? No responder here: "me" is expected too but never sent to over the network.
        assertEquals(
                List.of(members.get(2).address(), members.get(3).address()).stream()
                        .sorted()
                        .toList(),
                to.stream().sorted().toList());
        Query resent = (Query) of(retry, SerfEffect.Send.class).get(0).message();
        assertTrue(resent.isRetry() && resent.noBroadcast());
        assertEquals(1, of(retry, SerfEffect.StartTimer.class).size());
    }

    @Test
    void theDeadlineEndsTheQueryAndNamesTheMissing() {
        Query q = started(asker.start(
                "who", Bytes.EMPTY, QueryParams.all().withNodes(List.of("a", "b")), caller, members, 3000 * MS, 0));
        asker.onResponse(new QueryResponse(q.ltime(), q.id(), "b", 0, Bytes.EMPTY));
        QueryReply.Done done = (QueryReply.Done)
                replies(asker.onTimer(new Queries.Deadline(q.id()), 3000 * MS)).get(0);
        assertTrue(done.timedOut());
        assertEquals(java.util.Set.of("a"), done.missing());
        assertTrue(asker.onResponse(new QueryResponse(q.ltime(), q.id(), "a", 0, Bytes.EMPTY))
                .isEmpty());
    }

    @Test
    void aMemberThatFailsIsNoLongerAwaited() {
        Query q = started(asker.start(
                "who", Bytes.EMPTY, QueryParams.all().withNodes(List.of("a", "b")), caller, members, 3000 * MS, 0));
        asker.onResponse(new QueryResponse(q.ltime(), q.id(), "b", 0, Bytes.EMPTY));
        QueryReply.Done done = (QueryReply.Done) replies(asker.memberGone("a")).get(0);
        assertFalse(done.timedOut());
        assertEquals(1, done.expected());
    }

    @Test
    void aReceiverGossipsOnFiltersAcksDeliversAndAnswersOnce() {
        Queries receiver = new Queries("a", new Address("10.0.0.2", 1), config, new SplittableRandom(1));
        Query q = new Query(
                5,
                99,
                ME,
                "me",
                List.of(),
                List.of(new TagFilter("role", "db")),
                SerfMessage.QUERY_FLAG_ACK,
                1,
                3000 * MS,
                "who",
                Bytes.EMPTY);
        List<SerfEffect> out = receiver.onQuery(q, Map.of("role", "db-primary"), 0);
        assertEquals(1, of(out, SerfEffect.Broadcast.class).size());
        QueryResponse ack =
                (QueryResponse) of(out, SerfEffect.Send.class).get(0).message();
        assertTrue(ack.isAck());
        assertEquals(1, of(out, SerfEffect.Relay.class).size(), "the ack takes the relay path too");
        SerfEvent.Query event =
                (SerfEvent.Query) of(out, SerfEffect.Emit.class).get(0).event();
        assertTrue(receiver.onQuery(q, Map.of("role", "db-primary"), 1).isEmpty(), "a duplicate does nothing");
        List<SerfEffect> answer = receiver.respond(event.ltime(), event.id(), Bytes.utf8("here"), 10 * MS);
        assertEquals(ME, of(answer, SerfEffect.Send.class).get(0).to());
        assertThrows(
                IllegalStateException.class,
                () -> receiver.respond(event.ltime(), event.id(), Bytes.utf8("again"), 11 * MS));
        // A retry shows the asker lost the answer: it goes again.
        List<SerfEffect> again = receiver.onQuery(
                q.withFlags(q.flags() | SerfMessage.QUERY_FLAG_RETRY | SerfMessage.QUERY_FLAG_NO_BROADCAST),
                Map.of("role", "db-primary"),
                500 * MS);
        assertEquals(
                Bytes.utf8("here"),
                ((QueryResponse) of(again, SerfEffect.Send.class).get(0).message()).payload());
    }

    @Test
    void aFilteredOutReceiverStillGossipsButNeitherAcksNorDelivers() {
        Queries receiver = new Queries("c", new Address("10.0.0.4", 1), config, new SplittableRandom(1));
        Query q = new Query(
                5,
                99,
                ME,
                "me",
                List.of(),
                List.of(new TagFilter("role", "db")),
                SerfMessage.QUERY_FLAG_ACK,
                0,
                3000 * MS,
                "who",
                Bytes.EMPTY);
        List<SerfEffect> out = receiver.onQuery(q, Map.of("role", "web"), 0);
        assertEquals(1, out.size());
        assertTrue(out.get(0) instanceof SerfEffect.Broadcast);
    }

    @Test
    void answersAreCheckedForSizeAndDeadline() {
        Queries receiver = new Queries("a", new Address("10.0.0.2", 1), config, new SplittableRandom(1));
        Query q = new Query(5, 1, ME, "me", List.of(), List.of(), 0, 0, 100 * MS, "who", Bytes.EMPTY);
        receiver.onQuery(q, Map.of(), 0);
        assertThrows(IllegalArgumentException.class, () -> receiver.respond(5, 1, Bytes.of(new byte[1025]), 0));
        assertThrows(IllegalStateException.class, () -> receiver.respond(5, 1, Bytes.EMPTY, 101 * MS));
        assertThrows(IllegalStateException.class, () -> receiver.respond(6, 1, Bytes.EMPTY, 0));
    }

    @Test
    void tagFiltersAreUnanchoredAndABadExpressionMatchesNothing() {
        Query q =
                new Query(1, 1, ME, "me", List.of(), List.of(new TagFilter("role", "db")), 0, 0, MS, "q", Bytes.EMPTY);
        assertTrue(QueryFilters.matches(q, "x", Map.of("role", "my-db-1")));
        assertFalse(QueryFilters.matches(q, "x", Map.of("dc", "db")));
        Query bad =
                new Query(1, 1, ME, "me", List.of(), List.of(new TagFilter("role", "([")), 0, 0, MS, "q", Bytes.EMPTY);
        assertFalse(QueryFilters.matches(bad, "x", Map.of("role", "([")));
        Query named = new Query(1, 1, ME, "me", List.of("x"), List.of(), 0, 0, MS, "q", Bytes.EMPTY);
        assertTrue(QueryFilters.matches(named, "x", Map.of()));
        assertFalse(QueryFilters.matches(named, "y", Map.of()));
    }

    @Test
    void aFloodOfQueriesWithHugeTimeoutsStaysBounded() {
        Queries receiver = new Queries("a", new Address("10.0.0.2", 1), config, new SplittableRandom(1));
        int flood = Queries.MAX_RECEIVED + 100;
        for (int i = 1; i <= flood; i++) {
            receiver.onQuery(
                    new Query(i, i, ME, "me", List.of(), List.of(), 0, 0, Long.MAX_VALUE, "q", Bytes.EMPTY),
                    Map.of(),
                    0);
        }
        // The oldest were forgotten: answering them is an error, answering the newest works.
        assertThrows(IllegalStateException.class, () -> receiver.respond(1, 1, Bytes.EMPTY, 0));
        receiver.respond(flood, flood, Bytes.EMPTY, 0);
        // And no deadline lies beyond an hour.
        assertThrows(
                IllegalStateException.class,
                () -> receiver.respond(flood - 1, flood - 1, Bytes.EMPTY, Queries.MAX_TIMEOUT_NANOS + 1));
    }

    @Test
    void aFloodOfIdsAtOneTimeIsDroppedOnceTheTickIsFull() {
        Queries receiver = new Queries("a", new Address("10.0.0.2", 1), config, new SplittableRandom(1));
        for (int i = 0; i < Queries.MAX_RECEIVED; i++) {
            assertFalse(receiver.onQuery(
                            new Query(7, i, ME, "me", List.of(), List.of(), 0, 0, MS, "q", Bytes.EMPTY), Map.of(), 0)
                    .isEmpty());
        }
        assertTrue(receiver.onQuery(
                        new Query(7, -1, ME, "me", List.of(), List.of(), 0, 0, MS, "q", Bytes.EMPTY), Map.of(), 0)
                .isEmpty());
    }

    @Test
    void aQueryForFewMembersAlsoGoesToEachDirectly() {
        List<SerfEffect> out = asker.start("who", Bytes.EMPTY, QueryParams.all(), caller, members, 3000 * MS, 0);
        List<SerfEffect.Send> direct = of(out, SerfEffect.Send.class);
        assertEquals(3, direct.size(), "a, b and c; not this node");
        assertTrue(direct.stream().allMatch(d -> ((Query) d.message()).noBroadcast()));
        Queries gossipOnly = new Queries(
                "me",
                ME,
                SerfConfig.fromConfig(
                        com.typesafe.config.ConfigFactory.parseString("murmur.serf.query-direct-limit = 2")),
                new SplittableRandom(7));
        assertTrue(
                of(
                                gossipOnly.start("who", Bytes.EMPTY, QueryParams.all(), caller, members, 3000 * MS, 0),
                                SerfEffect.Send.class)
                        .isEmpty(),
                "four expected members are more than the limit of two");
    }
}
