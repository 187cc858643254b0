package io.murmur.serf;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.LamportClock;
import io.murmur.protocol.SerfMessage;
import io.murmur.protocol.SerfMessage.Query;
import io.murmur.protocol.SerfMessage.QueryResponse;
import io.murmur.protocol.SerfMessage.TagFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Queries, both ends. As the asker: stamp the query with the query clock, work out which members should answer (the
 * live members matching the filters), stream acks and responses to the caller de-duplicated, re-send the query
 * directly to members that have not answered at every retry interval, and finish as soon as every expected member has
 * answered — or at the deadline. As a receiver: de-duplicate by (LTime, id) over {@code queryBuffer} ticks, gossip a
 * new query on, apply the filters, ack, deliver it, and send the application's single response (again when a retry
 * shows the asker lost it).
 */
final class Queries {

    /** Timer keys. */
    record Retry(int id) {}

    record Deadline(int id) {}

    private static final class Outgoing {
        final Query query;
        final Object caller;
        final long deadline;
        final Map<String, Address> expected;
        final Set<String> acks = new HashSet<>();
        final Set<String> responded = new HashSet<>();

        Outgoing(Query query, Object caller, long deadline, Map<String, Address> expected) {
            this.query = query;
            this.caller = caller;
            this.deadline = deadline;
            this.expected = expected;
        }
    }

    /** A query this node received and passed: what it answered, if it has. */
    private static final class Received {
        final Query query;
        final long deadline;
        QueryResponse response;

        Received(Query query, long deadline) {
            this.query = query;
            this.deadline = deadline;
        }
    }

    private record Seen(long ltime, Set<Integer> ids) {}

    private record Key(long ltime, int id) {}

    /** Most queries a node keeps answerable at once. */
    static final int MAX_RECEIVED = 4096;
    /** Longest deadline a received query gets here, whatever its timeout says: an hour. */
    static final long MAX_TIMEOUT_NANOS = 3_600_000_000_000L;

    private final String self;
    private final Address selfAddress;
    private final SerfConfig config;
    private final RandomGenerator random;
    private final LamportClock clock = new LamportClock();
    private final Seen[] seen;
    private final Map<Integer, Outgoing> outgoing = new HashMap<>();
    /**
     * Bounded: a peer cannot make this node remember more than {@link #MAX_RECEIVED} queries (the oldest are
     * forgotten; they can then no longer be answered), nor any for longer than {@link #MAX_TIMEOUT_NANOS}.
     */
    private final Map<Key, Received> received = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Received> eldest) {
            return size() > MAX_RECEIVED;
        }
    };

    private long minTime;
    private long duplicates;

    Queries(String self, Address selfAddress, SerfConfig config, RandomGenerator random) {
        this.self = self;
        this.selfAddress = selfAddress;
        this.config = config;
        this.random = random;
        this.seen = new Seen[config.queryBuffer()];
    }

    LamportClock clock() {
        return clock;
    }

    void ignoreBefore(long time) {
        minTime = Math.max(minTime, time);
    }

    /**
     * Starts a query: returns the effects (the broadcast, timers, and this node's own handling of it). The caller
     * token comes back in every {@link SerfEffect.Answer}.
     */
    List<SerfEffect> start(
            String name,
            Bytes payload,
            QueryParams params,
            Object caller,
            List<SerfMember> members,
            long timeoutNanos,
            long now) {
        List<TagFilter> tags = new ArrayList<>();
        params.filterTags().forEach((tag, expr) -> tags.add(new TagFilter(tag, expr)));
        int id;
        do {
            id = random.nextInt() & Integer.MAX_VALUE;
        } while (outgoing.containsKey(id));
        Query query = new Query(
                clock.time(),
                id,
                selfAddress,
                self,
                params.filterNodes(),
                tags,
                params.requestAck() ? SerfMessage.QUERY_FLAG_ACK : 0,
                params.relayFactor(),
                timeoutNanos,
                name,
                payload);
        clock.increment();
        Map<String, Address> expected = new HashMap<>();
        for (SerfMember m : members) {
            if (m.status() == MemberStatus.ALIVE && QueryFilters.matches(query, m.name(), m.tags())) {
                expected.put(m.name(), m.address());
            }
        }
        Outgoing out = new Outgoing(query, caller, now + timeoutNanos, expected);
        outgoing.put(id, out);
        List<SerfEffect> effects = new ArrayList<>();
        effects.add(new SerfEffect.StartTimer(new Deadline(id), timeoutNanos));
        if (config.queryRetryInterval().toNanos() < timeoutNanos) {
            effects.add(new SerfEffect.StartTimer(
                    new Retry(id), config.queryRetryInterval().toNanos()));
        }
        if (expected.isEmpty()) {
            finish(out, false, effects);
            return effects;
        }
        // Serf handles its own query first (it may match), then gossips it.
        effects.addAll(onQuery(
                query,
                members.stream()
                        .filter(m -> m.name().equals(self))
                        .findFirst()
                        .map(SerfMember::tags)
                        .orElse(Map.of()),
                now));
        if (!query.noBroadcast()) {
            effects.add(new SerfEffect.Broadcast(query));
        }
        // Murmur's: a query meant for few members also goes to each of them directly, so that they answer after one
        // round trip instead of after the gossip has spread (a copy that arrives second is a duplicate).
        if (expected.size() <= config.queryDirectLimit()) {
            Query direct = query.withFlags(query.flags() | SerfMessage.QUERY_FLAG_NO_BROADCAST);
            expected.forEach((node, address) -> {
                if (!node.equals(self)) {
                    effects.add(new SerfEffect.Send(address, direct));
                }
            });
        }
        return effects;
    }

    /** A query from the cluster (or this node's own); {@code tags} are this node's tags. */
    List<SerfEffect> onQuery(Query query, Map<String, String> tags, long now) {
        clock.witness(query.ltime());
        List<SerfEffect> out = new ArrayList<>(2);
        if (query.ltime() < minTime) {
            return out;
        }
        long cur = clock.time();
        if (cur > seen.length && query.ltime() < cur - seen.length) {
            return out;
        }
        if (!firstSight(query)) {
            duplicates++;
            Received r = received.get(key(query.ltime(), query.id()));
            if (query.isRetry() && r != null) {
                // The asker lost what we sent: send it again.
                if (r.response != null) {
                    reply(r.query, r.response, out);
                } else if (r.query.wantsAck()) {
                    reply(
                            r.query,
                            new QueryResponse(
                                    r.query.ltime(), r.query.id(), self, SerfMessage.QUERY_FLAG_ACK, Bytes.EMPTY),
                            out);
                }
            }
            return out;
        }
        if (!query.noBroadcast() && !query.sourceNode().equals(self)) {
            out.add(new SerfEffect.Broadcast(query));
        }
        if (!QueryFilters.matches(query, self, tags)) {
            return out;
        }
        long deadline = now + Math.min(query.timeoutNanos(), MAX_TIMEOUT_NANOS);
        received.put(key(query.ltime(), query.id()), new Received(query, deadline));
        trimReceived(now);
        if (query.wantsAck()) {
            reply(
                    query,
                    new QueryResponse(query.ltime(), query.id(), self, SerfMessage.QUERY_FLAG_ACK, Bytes.EMPTY),
                    out);
        }
        out.add(new SerfEffect.Emit(new SerfEvent.Query(
                query.ltime(), query.id(), query.name(), query.payload(), query.sourceNode(), deadline)));
        return out;
    }

    /**
     * The application's answer to a query it was given.
     *
     * @throws IllegalStateException for an unknown query, a second answer, or an answer after the deadline
     * @throws IllegalArgumentException for an answer larger than {@code query-response-size-limit}
     */
    List<SerfEffect> respond(long ltime, int id, Bytes payload, long now) {
        Received r = received.get(key(ltime, id));
        if (r == null) {
            throw new IllegalStateException("no such query to answer (or it was filtered out here)");
        }
        if (r.response != null) {
            throw new IllegalStateException("the query was already answered");
        }
        if (now > r.deadline) {
            throw new IllegalStateException("the query's deadline has passed");
        }
        if (payload.size() > config.queryResponseSizeLimit()) {
            throw new IllegalArgumentException("query response is " + payload.size() + " bytes, more than the limit of "
                    + config.queryResponseSizeLimit());
        }
        r.response = new QueryResponse(ltime, id, self, 0, payload);
        List<SerfEffect> out = new ArrayList<>(1 + r.query.relayFactor());
        reply(r.query, r.response, out);
        return out;
    }

    /** An ack or response to one of our queries. */
    List<SerfEffect> onResponse(QueryResponse response) {
        clock.witness(response.ltime());
        Outgoing q = outgoing.get(response.id());
        List<SerfEffect> out = new ArrayList<>(2);
        if (q == null || q.query.ltime() != response.ltime()) {
            return out; // finished, or not ours
        }
        if (response.isAck()) {
            if (q.acks.add(response.from())) {
                out.add(new SerfEffect.Answer(q.caller, new QueryReply.Ack(response.from())));
            }
            return out;
        }
        if (!q.responded.add(response.from())) {
            duplicates++;
            return out;
        }
        out.add(new SerfEffect.Answer(q.caller, new QueryReply.Response(response.from(), response.payload())));
        if (q.responded.containsAll(q.expected.keySet())) {
            finish(q, false, out);
        }
        return out;
    }

    /** A member failed or left: our queries stop waiting for it. */
    List<SerfEffect> memberGone(String name) {
        List<SerfEffect> out = new ArrayList<>(0);
        for (Outgoing q : List.copyOf(outgoing.values())) {
            if (q.expected.remove(name) != null && q.responded.containsAll(q.expected.keySet())) {
                finish(q, false, out);
            }
        }
        return out;
    }

    List<SerfEffect> onTimer(Object key, long now) {
        List<SerfEffect> out = new ArrayList<>();
        if (key instanceof Deadline d) {
            Outgoing q = outgoing.get(d.id());
            if (q != null) {
                finish(q, true, out);
            }
        } else if (key instanceof Retry r) {
            Outgoing q = outgoing.get(r.id());
            if (q == null) {
                return out;
            }
            Query retry = q.query.withFlags(
                    q.query.flags() | SerfMessage.QUERY_FLAG_NO_BROADCAST | SerfMessage.QUERY_FLAG_RETRY);
            q.expected.forEach((node, address) -> {
                if (!q.responded.contains(node) && !node.equals(self)) {
                    out.add(new SerfEffect.Send(address, retry));
                }
            });
            long interval = config.queryRetryInterval().toNanos();
            if (now + interval < q.deadline) {
                out.add(new SerfEffect.StartTimer(r, interval));
            }
        }
        return out;
    }

    int inFlight() {
        return outgoing.size();
    }

    long duplicates() {
        return duplicates;
    }

    private void finish(Outgoing q, boolean timedOut, List<SerfEffect> out) {
        outgoing.remove(q.query.id());
        Set<String> missing = new HashSet<>(q.expected.keySet());
        missing.removeAll(q.responded);
        out.add(new SerfEffect.Answer(
                q.caller,
                new QueryReply.Done(q.expected.size(), q.acks.size(), q.responded.size(), missing, timedOut)));
    }

    /** Sends an ack or response to the asker, straight and through {@code relayFactor} random other members. */
    private void reply(Query query, QueryResponse response, List<SerfEffect> out) {
        out.add(new SerfEffect.Send(query.source(), response));
        if (query.relayFactor() > 0 && !query.sourceNode().equals(self)) {
            out.add(new SerfEffect.Relay(query.relayFactor(), query.source(), query.sourceNode(), response));
        }
    }

    private boolean firstSight(Query query) {
        int slot = (int) Long.remainderUnsigned(query.ltime(), seen.length);
        Seen s = seen[slot];
        if (s == null || s.ltime() < query.ltime()) {
            Set<Integer> ids = new HashSet<>();
            ids.add(query.id());
            seen[slot] = new Seen(query.ltime(), ids);
            return true;
        }
        if (s.ltime() > query.ltime()) {
            return false; // older than the window reaches: treat as seen
        }
        // A bounded set per tick: a flood of ids at one time is dropped rather than remembered without end.
        return s.ids().size() < MAX_RECEIVED && s.ids().add(query.id());
    }

    /** Forgets received queries past their deadline (they can no longer be answered or re-sent). */
    private void trimReceived(long now) {
        received.values()
                .removeIf(r -> now > r.deadline + config.queryRetryInterval().toNanos());
    }

    private static Key key(long ltime, int id) {
        return new Key(ltime, id);
    }
}
