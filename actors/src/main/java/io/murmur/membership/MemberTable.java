package io.murmur.membership;

import io.murmur.protocol.Bytes;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Dead;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The member table: who is alive, suspect, dead or left, at which incarnation, and memberlist's rules for which
 * message wins. It is the only owner of membership state; every change comes out as a {@link Effect.Changed} with the
 * new immutable {@link MemberView}, and as broadcasts, suspicion timers and member events.
 *
 * <p>Precedence (memberlist {@code aliveNode}, {@code suspectNode}, {@code deadNode}): an alive message about another
 * node wins only with a higher incarnation; suspect and dead win at an equal or higher incarnation; a suspect or dead
 * message about this node is refuted with a higher incarnation, unless this node is leaving. A known name at a new
 * address is accepted only once the old one has left, or has been dead for longer than the reclaim time.
 */
public final class MemberTable {

    /** Fires when the oldest dead or left member has been gossiped to for long enough. */
    public enum PurgeTimer implements TimerKey {
        INSTANCE
    }

    private record Departure(String name, long at) {}

    private final String self;
    private final MembershipConfig config;
    private final ArrayDeque<Departure> departures = new ArrayDeque<>();
    private NodeInfo selfInfo;
    private MemberView view = MemberView.empty();
    private long incarnation;
    private boolean leaving;
    private Object leaveToken;
    private boolean purgeScheduled;
    private long conflicts;

    public MemberTable(NodeInfo self, MembershipConfig config) {
        this.self = self.name();
        this.selfInfo = self;
        this.config = config;
    }

    public MemberView view() {
        return view;
    }

    public String self() {
        return self;
    }

    public long incarnation() {
        return incarnation;
    }

    public boolean isLeaving() {
        return leaving;
    }

    /** Alive messages refused because the name was already in use at another address. */
    public long conflicts() {
        return conflicts;
    }

    /** Declares this node alive (memberlist's {@code setAlive}); call once, first. */
    public List<Effect> start(long now) {
        List<Effect> out = new ArrayList<>();
        incarnation++;
        alive(new Alive(incarnation, selfInfo), now, true, out);
        return out;
    }

    /**
     * Starts this node as a member of a cluster it already knows ({@code cluster} must hold this node, alive): the
     * simulator starts large clusters converged this way, every node sharing one initial view.
     */
    public void startIn(MemberView cluster, long now) {
        Member me = cluster.getOrNull(self);
        if (me == null || me.state() != NodeState.ALIVE || !me.info().equals(selfInfo)) {
            throw new IllegalArgumentException("the cluster view must hold " + self + " alive, as it is");
        }
        view = cluster;
        incarnation = me.incarnation();
    }

    /** Applies an alive, suspect or dead message from a peer or from this node's prober. */
    public List<Effect> apply(Message update, long now) {
        return apply(update, now, false);
    }

    /**
     * Applies an alive, suspect or dead message; {@code merged} marks one that came from a push/pull merge, whose
     * suspicions are this node's reading of a peer's table, not an independent probe, and so confirm nothing.
     */
    public List<Effect> apply(Message update, long now, boolean merged) {
        List<Effect> out = new ArrayList<>();
        if (update instanceof Alive a) {
            alive(a, now, false, out);
        } else if (update instanceof Suspect s) {
            suspect(s, now, merged, out);
        } else if (update instanceof Dead d) {
            dead(d, now, out);
        } else {
            throw new IllegalArgumentException("not a membership update: " + update);
        }
        return out;
    }

    /**
     * A suspicion counted a new independent confirmation: gossip it on, if the member is still suspect (a refutation
     * that arrived meanwhile must not be overtaken by the stale suspicion it answered).
     */
    public List<Effect> confirmationCounted(Suspect confirmation) {
        Member m = view.getOrNull(confirmation.node());
        if (m == null || m.state() != NodeState.SUSPECT || confirmation.incarnation() < m.incarnation()) {
            return List.of();
        }
        return List.of(new Effect.Broadcast(confirmation.node(), confirmation, null));
    }

    /** A suspicion timer ran out: the member is declared dead if nothing changed since it was suspected. */
    public List<Effect> suspicionExpired(String node, long suspectedIncarnation, long now) {
        List<Effect> out = new ArrayList<>();
        Member m = view.getOrNull(node);
        if (m != null && m.state() == NodeState.SUSPECT && m.incarnation() == suspectedIncarnation) {
            dead(new Dead(suspectedIncarnation, node, self), now, out);
        }
        return out;
    }

    /**
     * Starts a graceful leave: this node declares itself dead with {@code node == from}, which others record as left.
     * A {@link Effect.BroadcastDone} with {@code doneToken} follows once the message has gone out, at once if there is
     * nobody to tell.
     */
    public List<Effect> leave(Object doneToken, long now) {
        List<Effect> out = new ArrayList<>();
        if (leaving) {
            out.add(new Effect.BroadcastDone(doneToken));
            return out;
        }
        leaving = true;
        boolean anyoneToTell = othersLive() > 0;
        leaveToken = anyoneToTell ? doneToken : null;
        dead(new Dead(incarnation, self, self), now, out);
        if (!anyoneToTell) {
            out.add(new Effect.BroadcastDone(doneToken));
        }
        return out;
    }

    /** Re-advertises this node with new metadata and a higher incarnation (memberlist's {@code UpdateNode}). */
    public List<Effect> updateMeta(Bytes meta, long now) {
        List<Effect> out = new ArrayList<>();
        if (leaving) {
            return out;
        }
        selfInfo = selfInfo.withMeta(meta);
        incarnation = Math.min(incarnation + 1, Message.MAX_INCARNATION);
        alive(new Alive(incarnation, selfInfo), now, true, out);
        return out;
    }

    /** Forgets members that have been dead or left for longer than the gossip-to-the-dead time. */
    public List<Effect> onTimer(TimerKey key, long now) {
        if (key != PurgeTimer.INSTANCE) {
            throw new IllegalArgumentException("not a member-table timer: " + key);
        }
        purgeScheduled = false;
        List<Effect> out = new ArrayList<>();
        long keep = config.gossipToTheDeadTime().toNanos();
        while (!departures.isEmpty() && now - departures.peekFirst().at() >= keep) {
            Departure d = departures.pollFirst();
            Member m = view.getOrNull(d.name());
            if (m != null && !d.name().equals(self) && m.state().isDeadOrLeft() && m.stateChangeNanos() == d.at()) {
                view = view.without(d.name());
                out.add(new Effect.Changed(view, m, null));
            }
        }
        schedulePurge(now, out);
        return out;
    }

    private void alive(Alive a, long now, boolean bootstrap, List<Effect> out) {
        String name = a.name();
        boolean isSelf = name.equals(self);
        if (leaving && isSelf) {
            return;
        }
        Member current = view.getOrNull(name);
        boolean updatesAddress = false;
        if (current != null && !current.address().equals(a.node().address())) {
            long reclaim = config.deadNodeReclaimTime().toNanos();
            boolean canReclaim = reclaim > 0 && now - current.stateChangeNanos() > reclaim;
            if (current.state() == NodeState.LEFT || (current.state() == NodeState.DEAD && canReclaim)) {
                updatesAddress = true;
            } else {
                conflicts++;
                out.add(new Effect.Conflict(current, a.node()));
                return;
            }
        }
        long currentIncarnation = current == null ? 0 : current.incarnation();
        if (!isSelf && !updatesAddress && a.incarnation() <= currentIncarnation) {
            return;
        }
        if (isSelf && a.incarnation() < currentIncarnation) {
            return;
        }
        if (current != null && current.state() == NodeState.SUSPECT) {
            out.add(new Effect.StopSuspicion(name));
        }
        if (isSelf && !bootstrap) {
            // The same incarnation with the same identity is our own gossip coming back; anything else about us
            // (a stale restart of ours with other meta, say) must be refuted.
            if (a.incarnation() == currentIncarnation
                    && current != null
                    && a.node().equals(current.info())) {
                return;
            }
            refute(a.incarnation(), now, out);
            return;
        }
        out.add(new Effect.Broadcast(name, a, null));
        long since = current != null && current.state() == NodeState.ALIVE ? current.stateChangeNanos() : now;
        Member updated = new Member(a.node(), a.incarnation(), NodeState.ALIVE, since);
        put(current, updated, out);
        if (current == null || current.state().isDeadOrLeft()) {
            out.add(new Effect.Emit(new MemberEvent(MemberEvent.Type.JOIN, updated)));
        } else if (!current.meta().equals(updated.meta())) {
            out.add(new Effect.Emit(new MemberEvent(MemberEvent.Type.UPDATE, updated)));
        }
    }

    private void suspect(Suspect s, long now, boolean merged, List<Effect> out) {
        Member current = view.getOrNull(s.node());
        if (current == null) {
            return;
        }
        if (s.incarnation() < current.incarnation()) {
            answerStaleAccusation(s.node(), s.from(), out);
            return;
        }
        if (current.state() == NodeState.SUSPECT) {
            // Only someone who probed counts as an independent confirmation, not a table merged from a peer.
            if (!merged) {
                out.add(new Effect.ConfirmSuspicion(s.node(), s));
            }
            return;
        }
        if (current.state() != NodeState.ALIVE) {
            return;
        }
        if (s.node().equals(self)) {
            refute(s.incarnation(), now, out);
            return;
        }
        out.add(new Effect.Broadcast(s.node(), s, null));
        put(current, current.with(NodeState.SUSPECT, s.incarnation(), now), out);
        int n = view.size();
        // Lifeguard: k independent confirmations bring the timeout down to the minimum; none are possible when the
        // cluster is too small to have k other members.
        int k = config.suspicionMult() - 2;
        if (n - 2 < k) {
            k = 0;
        }
        long min = suspicionTimeout(
                config.suspicionMult(), n, config.probeInterval().toNanos());
        long max = config.suspicionMaxTimeoutMult() * min;
        if (!config.lifeguard()) {
            // Plain SWIM: a fixed timeout, whatever others say.
            k = 0;
            max = min;
        }
        out.add(new Effect.StartSuspicion(s.node(), s.incarnation(), s.from(), Math.max(k, 0), min, max));
    }

    private void dead(Dead d, long now, List<Effect> out) {
        Member current = view.getOrNull(d.node());
        if (current == null) {
            return;
        }
        if (d.incarnation() < current.incarnation()) {
            answerStaleAccusation(d.node(), d.from(), out);
            return;
        }
        if (current.state().isDeadOrLeft()) {
            return;
        }
        if (current.state() == NodeState.SUSPECT) {
            out.add(new Effect.StopSuspicion(d.node()));
        }
        if (d.node().equals(self)) {
            if (!leaving) {
                refute(d.incarnation(), now, out);
                return;
            }
            out.add(new Effect.Broadcast(self, d, leaveToken));
        } else {
            out.add(new Effect.Broadcast(d.node(), d, null));
        }
        NodeState state = d.isLeave() ? NodeState.LEFT : NodeState.DEAD;
        Member updated = current.with(state, d.incarnation(), now);
        put(current, updated, out);
        departures.addLast(new Departure(d.node(), updated.stateChangeNanos()));
        schedulePurge(now, out);
        MemberEvent.Type type = state == NodeState.LEFT ? MemberEvent.Type.LEAVE : MemberEvent.Type.FAILED;
        out.add(new Effect.Emit(new MemberEvent(type, updated)));
    }

    /**
     * Murmur's addition: an accusation of this node at an incarnation it has already refuted means the accuser missed
     * the refutation (gossip sends each message a limited number of times); memberlist ignores it, and the accuser
     * may then declare a healthy node dead once its suspicion times out. This node tells the accuser directly.
     */
    private void answerStaleAccusation(String node, String accuser, List<Effect> out) {
        if (!node.equals(self) || leaving || accuser.equals(self)) {
            return;
        }
        Member by = view.getOrNull(accuser);
        if (by != null) {
            out.add(new Effect.Send(by.address(), List.of(new Alive(incarnation, selfInfo))));
        }
    }

    /** memberlist's {@code refute}: outbid the accusation with a fresh incarnation and tell everyone. */
    private void refute(long accusedIncarnation, long now, List<Effect> out) {
        long inc = incarnation + 1;
        if (accusedIncarnation >= inc) {
            inc = accusedIncarnation + 1;
        }
        // Incarnations are uint32: nothing outbids the largest, so refute at it rather than fail on the message.
        inc = Math.min(inc, Message.MAX_INCARNATION);
        incarnation = inc;
        out.add(new Effect.AdjustHealth(1));
        Alive a = new Alive(inc, selfInfo);
        out.add(new Effect.Broadcast(self, a, null));
        Member current = view.getOrNull(self);
        put(
                current,
                new Member(selfInfo, inc, NodeState.ALIVE, current == null ? now : current.stateChangeNanos()),
                out);
    }

    private void put(Member before, Member after, List<Effect> out) {
        view = view.with(after);
        out.add(new Effect.Changed(view, before, after));
    }

    private void schedulePurge(long now, List<Effect> out) {
        if (!purgeScheduled && !departures.isEmpty()) {
            purgeScheduled = true;
            long due =
                    departures.peekFirst().at() + config.gossipToTheDeadTime().toNanos();
            out.add(new Effect.StartTimer(PurgeTimer.INSTANCE, Math.max(0, due - now)));
        }
    }

    private int othersLive() {
        Member me = view.getOrNull(self);
        return view.liveCount() - (me != null && me.isLive() ? 1 : 0);
    }

    /**
     * memberlist's {@code suspicionTimeout}: {@code mult * max(1, log10(max(1, n))) * interval}, with the scale
     * truncated to thousandths first, as memberlist computes it.
     */
    public static long suspicionTimeout(int suspicionMult, int n, long probeIntervalNanos) {
        double nodeScale = Math.max(1.0, Math.log10(Math.max(1.0, n)));
        long scaleMillis = (long) (nodeScale * 1000);
        return suspicionMult * scaleMillis * probeIntervalNanos / 1000;
    }
}
