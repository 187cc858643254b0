package io.murmur.serf;

import io.murmur.membership.MemberEvent;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.SerfMessage;
import io.murmur.store.snapshot.SnapshotState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One serf node's protocol, without actors: the member table, user events and queries, the messages that drive them,
 * the push/pull state, and the internal queries. Every input returns the {@link SerfEffect}s to carry out; it reads
 * no clock and owns no thread (the {@link Serf} actor runs it).
 */
final class SerfCore {

    final SerfMembers members;
    final UserEvents events;
    final Queries queries;
    private final String self;
    private final SerfConfig config;
    private Map<String, String> tags;
    private boolean stateDirty = true;

    SerfCore(String self, Address selfAddress, SerfConfig config, Map<String, String> tags, SplittableRandom random) {
        this.self = self;
        this.config = config;
        this.tags = Map.copyOf(tags);
        this.members = new SerfMembers(self, config, random.split());
        this.events = new UserEvents(config);
        this.queries = new Queries(self, selfAddress, config, random.split());
    }

    /** Announces this node: its join intent. */
    List<SerfEffect> start() {
        return List.of(new SerfEffect.Broadcast(members.joinIntent()));
    }

    void tags(Map<String, String> newTags) {
        tags = Map.copyOf(newTags);
    }

    List<SerfEffect> onMemberEvent(MemberEvent event, long now) {
        return after(members.onMemberEvent(event, now), now);
    }

    /** A serf message from the cluster (relays and push/pull states are the actor's business). */
    List<SerfEffect> onMessage(SerfMessage message, long now) {
        List<SerfEffect> out = new ArrayList<>(2);
        if (message instanceof SerfMessage.JoinIntent j) {
            if (members.onJoinIntent(j, now)) {
                out.add(new SerfEffect.Broadcast(j));
            }
        } else if (message instanceof SerfMessage.LeaveIntent l) {
            if (members.onLeaveIntent(l, now, out)) {
                out.add(new SerfEffect.Broadcast(l));
            }
        } else if (message instanceof SerfMessage.UserEvent e) {
            events.receive(e).ifPresent(news -> {
                out.add(new SerfEffect.Broadcast(news));
                out.add(new SerfEffect.Emit(toEvent(news)));
            });
        } else if (message instanceof SerfMessage.Query q) {
            out.addAll(queries.onQuery(q, tags, now));
        } else if (message instanceof SerfMessage.QueryResponse r) {
            out.addAll(queries.onResponse(r));
        } else {
            throw new IllegalArgumentException(
                    "not for the serf core: " + message.getClass().getSimpleName());
        }
        return after(out, now);
    }

    /** A peer's push/pull state; with {@code ignoreOld} (a join that skips history) its events are not delivered. */
    List<SerfEffect> onRemoteState(SerfMessage.PushPull pp, boolean ignoreOld, long now) {
        List<SerfEffect> out = new ArrayList<>(members.merge(pp.ltime(), pp.statusLTimes(), pp.leftMembers(), now));
        for (SerfMessage.UserEvent news : events.merge(pp.eventLTime(), pp.events(), ignoreOld)) {
            out.add(new SerfEffect.Emit(toEvent(news)));
        }
        if (pp.queryLTime() > 0) {
            queries.clock().witness(pp.queryLTime() - 1);
        }
        stateDirty = true;
        return after(out, now);
    }

    /** True once since the last {@link #localState}, when the push/pull state changed. */
    boolean stateDirty() {
        return stateDirty;
    }

    /** What this node's push/pulls carry: the member clock and intents, recent events, the event and query clocks. */
    SerfMessage.PushPull localState() {
        stateDirty = false;
        return new SerfMessage.PushPull(
                members.ltime(),
                members.statusLTimes(),
                members.leftMembers(),
                events.clock().time(),
                events.recent(),
                queries.clock().time());
    }

    /** @throws UserEvents.TooLarge when name plus payload exceed the limit */
    List<SerfEffect> userEvent(String name, Bytes payload, boolean coalesce) {
        SerfMessage.UserEvent event = events.fire(name, payload, coalesce);
        stateDirty = true;
        List<SerfEffect> out = new ArrayList<>();
        out.add(new SerfEffect.Emit(toEvent(event)));
        out.add(new SerfEffect.Broadcast(event));
        // Murmur's: in a small cluster, every member also gets it directly (a copy that arrives second is a duplicate).
        if (members.aliveCount() <= config.eventDirectLimit()) {
            for (SerfMember m : members.members()) {
                if (m.status() == MemberStatus.ALIVE && !m.name().equals(self)) {
                    out.add(new SerfEffect.Send(m.address(), event));
                }
            }
        }
        return out;
    }

    List<SerfEffect> query(
            String name,
            Bytes payload,
            QueryParams params,
            Object caller,
            java.time.Duration gossipInterval,
            long now) {
        int size = name.getBytes(StandardCharsets.UTF_8).length + payload.size();
        if (size > config.querySizeLimit()) {
            return List.of(new SerfEffect.Answer(
                    caller,
                    new QueryReply.Rejected("query is " + size + " bytes (name plus payload), more than the limit of "
                            + config.querySizeLimit())));
        }
        long timeout = params.timeout().isZero()
                ? config.defaultQueryTimeout(gossipInterval, members.aliveCount())
                        .toNanos()
                : params.timeout().toNanos();
        return after(queries.start(name, payload, params, caller, members.members(), timeout, now), now);
    }

    List<SerfEffect> respond(long ltime, int id, Bytes payload, long now) {
        return queries.respond(ltime, id, payload, now);
    }

    List<SerfEffect> forceLeave(String node, boolean prune, long now) {
        return after(members.forceLeave(node, prune, now), now);
    }

    SerfMessage.LeaveIntent leaveIntent(long now) {
        stateDirty = true;
        return members.leaveIntent(now);
    }

    List<SerfEffect> reap(long now) {
        return after(members.reap(now), now);
    }

    List<SerfEffect> reconnect() {
        return members.reconnect();
    }

    List<SerfEffect> onQueryTimer(Object key, long now) {
        return queries.onTimer(key, now);
    }

    /**
     * Serf's restart from a snapshot: the clocks resume after what it recorded, so old events and queries are not
     * delivered again. Returns the addresses of the members to rejoin (none after a leave unless
     * {@code rejoin-after-leave}); unparseable addresses are skipped.
     */
    List<Address> restore(SnapshotState state) {
        members.clock().witness(state.clock());
        events.clock().witness(state.eventClock());
        events.ignoreBefore(state.eventClock() + 1);
        queries.clock().witness(state.queryClock());
        queries.ignoreBefore(state.queryClock() + 1);
        List<Address> previous = new ArrayList<>();
        state.rejoinCandidates(config.rejoinAfterLeave()).forEach((name, address) -> {
            if (!name.equals(self)) {
                try {
                    previous.add(Address.parse(address));
                } catch (IllegalArgumentException e) {
                    // A record the snapshot reader accepted but that names no address: nothing to rejoin through.
                }
            }
        });
        return previous;
    }

    /** The member, user-event and query clocks, for the snapshot. */
    long[] clockTimes() {
        return new long[] {
            members.clock().time(), events.clock().time(), queries.clock().time()
        };
    }

    /**
     * What emitted events imply inside the core: the push/pull state changed, queries stop waiting for members that
     * failed or left, and internal queries are answered here instead of reaching the application (key operations go
     * on to the actor, which persists the keyring before it answers).
     */
    private List<SerfEffect> after(List<SerfEffect> effects, long now) {
        List<SerfEffect> out = new ArrayList<>(effects.size());
        for (SerfEffect e : effects) {
            if (e instanceof SerfEffect.Emit em
                    && em.event() instanceof SerfEvent.Query q
                    && InternalQueries.isInternal(q.name())
                    && KeyCommands.Op.fromQueryName(q.name()).isEmpty()) {
                InternalQueries.answer(q, members)
                        .ifPresent(answer -> out.addAll(queries.respond(q.ltime(), q.id(), answer, now)));
                continue;
            }
            out.add(e);
            if (e instanceof SerfEffect.Emit em && em.event() instanceof SerfEvent.Members m) {
                stateDirty = true;
                if (m.type() == SerfEvent.Type.MEMBER_FAILED || m.type() == SerfEvent.Type.MEMBER_LEAVE) {
                    for (SerfMember gone : m.members()) {
                        out.addAll(queries.memberGone(gone.name()));
                    }
                }
            } else if (e instanceof SerfEffect.Broadcast) {
                stateDirty = true;
            }
        }
        return out;
    }

    static SerfEvent.User toEvent(SerfMessage.UserEvent e) {
        return new SerfEvent.User(e.ltime(), e.name(), e.payload(), e.coalesce());
    }
}
