package io.murmur.serf;

import io.murmur.membership.Member;
import io.murmur.membership.MemberEvent;
import io.murmur.protocol.Address;
import io.murmur.protocol.LamportClock;
import io.murmur.protocol.SerfMessage.JoinIntent;
import io.murmur.protocol.SerfMessage.LeaveIntent;
import io.murmur.protocol.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.random.RandomGenerator;

/**
 * The serf layer's member table: statuses (alive, leaving, left, failed) on top of membership's events, tags from
 * member metadata, the member Lamport clock and the join and leave intents it orders, reaping and reconnects. A leave
 * intent that arrives before the join it follows is kept (as a recent intent) and applied when the member appears.
 */
final class SerfMembers {

    /** One member, the member-clock time of its last intent, and when its status last changed (monotonic nanos). */
    private static final class Entry {
        SerfMember member;
        long statusLTime;
        long changedAt;
        long pruneAt = -1;

        Entry(SerfMember member, long changedAt) {
            this.member = member;
            this.changedAt = changedAt;
        }
    }

    private record Intent(boolean leave, long ltime, long at) {}

    private final String self;
    private final SerfConfig config;
    private final RandomGenerator random;
    private final LamportClock clock = new LamportClock();
    private final Map<String, Entry> members = new HashMap<>();
    private final Map<String, Intent> recentIntents = new HashMap<>();
    private boolean leaving;
    private long selfIntentLTime;
    private long badTags;

    SerfMembers(String self, SerfConfig config, RandomGenerator random) {
        this.self = self;
        this.config = config;
        this.random = random;
    }

    LamportClock clock() {
        return clock;
    }

    /** The intent that announces this node, stamped with the member clock (sent when the node starts or rejoins). */
    JoinIntent joinIntent() {
        long ltime = clock.time();
        clock.increment();
        selfIntentLTime = ltime;
        Entry me = members.get(self);
        if (me != null) {
            me.statusLTime = Math.max(me.statusLTime, ltime);
        }
        leaving = false;
        return new JoinIntent(ltime, self);
    }

    /** This node starts to leave: its status becomes leaving, and the returned intent tells the cluster. */
    LeaveIntent leaveIntent(long now) {
        leaving = true;
        long ltime = clock.time();
        clock.increment();
        selfIntentLTime = ltime;
        Entry me = members.get(self);
        if (me != null) {
            me.statusLTime = ltime;
            setStatus(me, MemberStatus.LEAVING, now);
        }
        return new LeaveIntent(ltime, self, false);
    }

    /** Serf's force-leave: the intent to broadcast, already applied here. */
    List<SerfEffect> forceLeave(String node, boolean prune, long now) {
        long ltime = clock.time();
        clock.increment();
        LeaveIntent intent = new LeaveIntent(ltime, node, prune);
        List<SerfEffect> out = new ArrayList<>();
        onLeaveIntent(intent, now, out);
        out.add(new SerfEffect.Broadcast(intent));
        return out;
    }

    /** A membership event: a member appeared, came back, left, failed, or changed its tags. */
    List<SerfEffect> onMemberEvent(MemberEvent event, long now) {
        Member m = event.member();
        String name = m.name();
        Entry e = members.get(name);
        List<SerfEffect> out = new ArrayList<>(1);
        switch (event.type()) {
            case JOIN -> {
                if (e == null) {
                    e = new Entry(serfMember(m, MemberStatus.ALIVE), now);
                    members.put(name, e);
                    if (name.equals(self)) {
                        e.statusLTime = selfIntentLTime;
                    }
                } else {
                    e.member = serfMember(m, MemberStatus.ALIVE);
                    e.changedAt = now;
                }
                e.pruneAt = -1;
                Intent intent = recentIntents.remove(name);
                if (intent != null && intent.ltime > e.statusLTime) {
                    e.statusLTime = intent.ltime;
                    if (intent.leave) {
                        e.member = e.member.withStatus(MemberStatus.LEAVING);
                    }
                }
                if (name.equals(self) && leaving) {
                    e.member = e.member.withStatus(MemberStatus.LEAVING);
                }
                emit(out, SerfEvent.Type.MEMBER_JOIN, e.member);
            }
            case LEAVE, FAILED -> {
                if (e == null) {
                    return out;
                }
                e.member = serfMember(m, e.member.status());
                boolean graceful = event.type() == MemberEvent.Type.LEAVE || e.member.status() == MemberStatus.LEAVING;
                setStatus(e, graceful ? MemberStatus.LEFT : MemberStatus.FAILED, now);
                emit(out, graceful ? SerfEvent.Type.MEMBER_LEAVE : SerfEvent.Type.MEMBER_FAILED, e.member);
            }
            case UPDATE -> {
                if (e == null) {
                    return out;
                }
                e.member = serfMember(m, e.member.status());
                emit(out, SerfEvent.Type.MEMBER_UPDATE, e.member);
            }
        }
        return out;
    }

    /** Returns true when the intent was news (and should be gossiped on). */
    boolean onJoinIntent(JoinIntent intent, long now) {
        clock.witness(intent.ltime());
        Entry e = members.get(intent.node());
        if (e == null) {
            return remember(intent.node(), false, intent.ltime(), now);
        }
        if (intent.ltime() <= e.statusLTime) {
            return false;
        }
        e.statusLTime = intent.ltime();
        if (e.member.status() == MemberStatus.LEAVING) {
            e.member = e.member.withStatus(MemberStatus.ALIVE);
        }
        return true;
    }

    /** Returns true when the intent was news (and should be gossiped on); {@code out} gets events and refutations. */
    boolean onLeaveIntent(LeaveIntent intent, long now, List<SerfEffect> out) {
        clock.witness(intent.ltime());
        Entry e = members.get(intent.node());
        if (e == null) {
            return remember(intent.node(), true, intent.ltime(), now);
        }
        if (intent.ltime() <= e.statusLTime) {
            return false;
        }
        if (intent.node().equals(self) && !leaving) {
            // Somebody says we are leaving, and we are not: refute with a newer join intent.
            out.add(new SerfEffect.Broadcast(joinIntent()));
            return false;
        }
        e.statusLTime = intent.ltime();
        switch (e.member.status()) {
            case ALIVE -> setStatus(e, MemberStatus.LEAVING, now);
            case FAILED -> {
                // A forced leave of a failed member.
                setStatus(e, MemberStatus.LEFT, now);
                emit(out, SerfEvent.Type.MEMBER_LEAVE, e.member);
            }
            default -> {}
        }
        if (intent.prune()) {
            prune(e, now, out);
        }
        return true;
    }

    /** Serf's prune: a left or failed member is forgotten now, one still leaving once its leave had time to spread. */
    private void prune(Entry e, long now, List<SerfEffect> out) {
        MemberStatus s = e.member.status();
        if (s == MemberStatus.LEFT || s == MemberStatus.FAILED) {
            erase(e, out);
        } else {
            e.pruneAt = now
                    + config.broadcastTimeout().toNanos()
                    + config.leavePropagateDelay().toNanos();
        }
    }

    private boolean remember(String node, boolean leave, long ltime, long now) {
        Intent old = recentIntents.get(node);
        if (old != null && old.ltime >= ltime) {
            return false;
        }
        recentIntents.put(node, new Intent(leave, ltime, now));
        return true;
    }

    /** Serf's reap: failed and left members past their timeouts are forgotten; old intents expire. */
    List<SerfEffect> reap(long now) {
        List<SerfEffect> out = new ArrayList<>(0);
        long reconnect = config.reconnectTimeout().toNanos();
        long tombstone = config.tombstoneTimeout().toNanos();
        for (Iterator<Entry> it = members.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            MemberStatus s = e.member.status();
            boolean due = (s == MemberStatus.FAILED && now - e.changedAt >= reconnect)
                    || (s == MemberStatus.LEFT && now - e.changedAt >= tombstone)
                    || (e.pruneAt >= 0 && now >= e.pruneAt);
            if (due && !e.member.name().equals(self)) {
                it.remove();
                emit(out, SerfEvent.Type.MEMBER_REAP, e.member);
            }
        }
        long intents = config.recentIntentTimeout().toNanos();
        recentIntents.values().removeIf(i -> now - i.at >= intents);
        return out;
    }

    private void erase(Entry e, List<SerfEffect> out) {
        members.remove(e.member.name());
        emit(out, SerfEvent.Type.MEMBER_REAP, e.member);
    }

    /** Serf's reconnect: with probability failed / alive, one random failed member to try to join through. */
    List<SerfEffect> reconnect() {
        List<Entry> failed = new ArrayList<>();
        int alive = 0;
        for (Entry e : members.values()) {
            if (e.member.status() == MemberStatus.FAILED) {
                failed.add(e);
            } else if (e.member.status() == MemberStatus.ALIVE) {
                alive++;
            }
        }
        if (failed.isEmpty() || random.nextDouble() > (double) failed.size() / Math.max(1, alive)) {
            return List.of();
        }
        SerfMember m = failed.get(random.nextInt(failed.size())).member;
        return List.of(new SerfEffect.Reconnect(m.name(), m.address()));
    }

    /** The member clock and every member's last intent time, and who left, for a push/pull. */
    long ltime() {
        return clock.time();
    }

    Map<String, Long> statusLTimes() {
        Map<String, Long> out = new HashMap<>(members.size() * 2);
        members.forEach((name, e) -> out.put(name, e.statusLTime));
        return out;
    }

    List<String> leftMembers() {
        List<String> out = new ArrayList<>();
        members.forEach((name, e) -> {
            if (e.member.status() == MemberStatus.LEFT) {
                out.add(name);
            }
        });
        return out;
    }

    /** Serf's push/pull merge: the remote intents, applied as if they had been gossiped (but not gossiped on). */
    List<SerfEffect> merge(long remoteLTime, Map<String, Long> statusLTimes, List<String> left, long now) {
        if (remoteLTime > 0) {
            clock.witness(remoteLTime - 1);
        }
        List<SerfEffect> out = new ArrayList<>(0);
        java.util.Set<String> leftSet = new java.util.HashSet<>(left);
        statusLTimes.forEach((node, ltime) -> {
            if (leftSet.contains(node)) {
                onLeaveIntent(new LeaveIntent(ltime, node, false), now, out);
            } else {
                onJoinIntent(new JoinIntent(ltime, node), now);
            }
        });
        return out;
    }

    List<SerfMember> members() {
        List<SerfMember> out = new ArrayList<>(members.size());
        members.values().forEach(e -> out.add(e.member));
        return out;
    }

    SerfMember get(String name) {
        Entry e = members.get(name);
        return e == null ? null : e.member;
    }

    int aliveCount() {
        int n = 0;
        for (Entry e : members.values()) {
            if (e.member.status() == MemberStatus.ALIVE || e.member.status() == MemberStatus.LEAVING) {
                n++;
            }
        }
        return n;
    }

    /** Member metadata that was not well-formed tags (the member is kept, with no tags). */
    long badTags() {
        return badTags;
    }

    private SerfMember serfMember(Member m, MemberStatus status) {
        SortedMap<String, String> tags = Tags.decode(m.meta()).orElse(null);
        if (tags == null) {
            badTags++;
            tags = java.util.Collections.emptySortedMap();
        }
        Address address = m.address();
        return new SerfMember(m.name(), address, tags, status);
    }

    private static void setStatus(Entry e, MemberStatus status, long now) {
        if (e.member.status() != status) {
            e.member = e.member.withStatus(status);
            e.changedAt = now;
        }
    }

    private static void emit(List<SerfEffect> out, SerfEvent.Type type, SerfMember member) {
        out.add(new SerfEffect.Emit(new SerfEvent.Members(type, List.of(member))));
    }
}
