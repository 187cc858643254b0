package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Dead;
import io.murmur.protocol.Message.PushNodeState;
import io.murmur.protocol.Message.PushPull;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Anti-entropy: full-state push/pull with one random alive member every push/pull interval (scaled up with the
 * cluster's size, as memberlist's {@code pushPullScale}), at join with each seed, and — Murmur's addition — a periodic
 * re-join of every seed that is not a live member, so that the two halves of a healed partition find each other again
 * after they have forgotten each other's dead.
 *
 * <p>Also Murmur's: churn syncs. Gossip sends each broadcast a fixed number of times, so in a burst of joins a few
 * members miss a few alive messages (with fan-out f per informed member, about e^-f of them), and memberlist leaves
 * those gaps to the next periodic push/pull, up to a minute away. Here, from one churn-sync delay after a member
 * joins, a push/pull with a random member follows every churn-sync delay until {@link #CHURN_SYNC_QUIET_ROUNDS}
 * delays have passed without a join: each repairs what this node and its partner missed, and the rounds after the
 * burst catch what was still spreading during it. A node makes at most {@link #CHURN_SYNC_BUDGET} of them per
 * push/pull interval, so that endless churn in a large cluster cannot turn them into a flood.
 *
 * <p>Merge rules (memberlist {@code mergeState}): a remote alive is applied as alive, a remote left as a leave, and a
 * remote dead or suspect only as a suspicion, so that the member gets the chance to refute it.
 */
public final class Syncer {

    public sealed interface Timer extends TimerKey permits PushPullTick, RejoinTick, ChurnSyncTick {}

    public enum PushPullTick implements Timer {
        INSTANCE
    }

    public enum RejoinTick implements Timer {
        INSTANCE
    }

    /** A member joined a while ago: repair what gossip missed. */
    public enum ChurnSyncTick implements Timer {
        INSTANCE
    }

    /** Tags of the exchanges this core starts; join exchanges are tagged by whoever asked for the join. */
    public enum Purpose {
        PERIODIC,
        REJOIN,
        CHURN,
        GAP
    }

    /** Churn syncs go on until this many churn-sync delays have passed without a join. */
    static final int CHURN_SYNC_QUIET_ROUNDS = 3;

    /**
     * Churn syncs a node makes at most per budget window (the scaled push/pull interval, or ten churn-sync delays if
     * that is longer): under endless churn in a large cluster, anti-entropy costs at most this many times memberlist's.
     */
    static final int CHURN_SYNC_BUDGET = 3;

    /** Exchanges a join makes with one seed before it counts the seed as unreachable. */
    static final int JOIN_ATTEMPTS = 4;

    /** memberlist's {@code pushPullScaleThreshold}. */
    static final int PUSH_PULL_SCALE_THRESHOLD = 32;

    private final String self;
    private final MembershipConfig config;
    private final RandomGenerator random;
    /** Seeds, and the name of the member that answered at each (null until one has). */
    private final java.util.Map<Address, String> seeds = new java.util.LinkedHashMap<>();

    private MemberView view = MemberView.empty();
    private Bytes userState = Bytes.EMPTY;
    private boolean churnSyncPending;
    private final java.util.ArrayDeque<Long> recentChurnSyncs = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<Long> recentGapSyncs = new java.util.ArrayDeque<>();
    private long lastJoinNanos;
    /** When a member last joined, died or left here: gap syncs wait until such news has settled. */
    private long lastLivenessChangeNanos;
    /** Early re-joins made since the node was last found alone, or -1 when it was not alone at the last re-join. */
    private int lonelyRejoins = -1;

    public Syncer(NodeInfo self, MembershipConfig config, RandomGenerator random) {
        this.self = self.name();
        this.config = config;
        this.random = random;
    }

    /**
     * Schedules the first exchange at a random point of one (scaled) interval, as memberlist staggers it; a node that
     * starts inside a large known cluster scales that interval as it would every later one.
     */
    public List<Effect> start(long now) {
        List<Effect> out = new ArrayList<>(2);
        long interval = pushPullScale(config.pushPullInterval().toNanos(), view.size());
        if (interval > 0) {
            out.add(new Effect.StartTimer(PushPullTick.INSTANCE, random.nextLong(interval)));
        }
        long rejoin = config.rejoinInterval().toNanos();
        if (rejoin > 0) {
            out.add(new Effect.StartTimer(RejoinTick.INSTANCE, rejoin));
        }
        return out;
    }

    public String self() {
        return self;
    }

    /** Follows a whole table at once. */
    public void follow(MemberView table) {
        view = table;
    }

    /** Follows the member table; a member joining schedules a churn sync unless one is pending. */
    public List<Effect> onChange(Effect.Changed change) {
        view = change.view();
        Member after = change.after();
        boolean liveBefore = change.before() != null && change.before().isLive();
        if (after != null && after.isLive() != liveBefore) {
            lastLivenessChangeNanos = after.stateChangeNanos();
        }
        boolean joined = after != null
                && after.state() == NodeState.ALIVE
                && !after.name().equals(self)
                && (change.before() == null || change.before().state().isDeadOrLeft());
        long delay = config.churnSyncDelay().toNanos();
        if (!joined || delay == 0) {
            return List.of();
        }
        lastJoinNanos = after.stateChangeNanos();
        if (churnSyncPending) {
            return List.of();
        }
        churnSyncPending = true;
        return List.of(new Effect.StartTimer(ChurnSyncTick.INSTANCE, churnSyncDelay()));
    }

    private long churnSyncDelay() {
        return pushPullScale(config.churnSyncDelay().toNanos(), view.size());
    }

    private long churnSyncBudgetWindow() {
        return Math.max(pushPullScale(config.pushPullInterval().toNanos(), view.size()), 10 * churnSyncDelay());
    }

    /**
     * Remembers a seed for the periodic re-join without contacting it now (a node that joined through it once), and
     * the name of the member there, if known.
     */
    public void rememberSeed(Address seed, String memberName) {
        seeds.put(seed, memberName);
    }

    /**
     * Join exchanges with each seed; the seeds are remembered for the periodic re-join, and a node that is alone
     * schedules that re-join early (see {@link #rejoinDelay}).
     */
    public List<Effect> join(List<Address> seedAddresses, Object tag) {
        List<Effect> out = new ArrayList<>(seedAddresses.size() + 1);
        PushPull state = localState(true);
        for (Address seed : seedAddresses) {
            seeds.putIfAbsent(seed, null);
            out.add(new Effect.Request(seed, state, tag));
        }
        if (!seedAddresses.isEmpty() && config.rejoinInterval().toNanos() > 0 && alone()) {
            lonelyRejoins = 0;
            out.add(new Effect.StartTimer(RejoinTick.INSTANCE, rejoinDelay()));
        }
        return out;
    }

    public List<Effect> onTimer(TimerKey key, long now) {
        if (key == PushPullTick.INSTANCE) {
            List<Effect> out = new ArrayList<>(2);
            out.add(new Effect.StartTimer(
                    PushPullTick.INSTANCE,
                    pushPullScale(config.pushPullInterval().toNanos(), view.size())));
            exchangeWithRandomMember(Purpose.PERIODIC, out);
            return out;
        } else if (key == ChurnSyncTick.INSTANCE) {
            List<Effect> out = new ArrayList<>(2);
            long window = churnSyncBudgetWindow();
            while (!recentChurnSyncs.isEmpty() && now - recentChurnSyncs.peekFirst() >= window) {
                recentChurnSyncs.pollFirst();
            }
            if (recentChurnSyncs.size() < CHURN_SYNC_BUDGET) {
                recentChurnSyncs.addLast(now);
                exchangeWithRandomMember(Purpose.CHURN, out);
            }
            long delay = churnSyncDelay();
            churnSyncPending = now - lastJoinNanos < CHURN_SYNC_QUIET_ROUNDS * delay;
            if (churnSyncPending) {
                out.add(new Effect.StartTimer(ChurnSyncTick.INSTANCE, delay));
            }
            return out;
        } else if (key == RejoinTick.INSTANCE) {
            return rejoin();
        }
        throw new IllegalArgumentException("not a syncer timer: " + key);
    }

    /** How long a join waits for its seeds, retries included: twice the stream timeout. */
    public long joinDeadlineNanos() {
        return 2 * config.streamTimeout().toNanos();
    }

    /**
     * How long to wait before exchange number {@code attempt + 1} with a seed that failed {@code attempt} times, or -1
     * when the join should give up on it: after {@link #JOIN_ATTEMPTS} exchanges, or when the retry could not start
     * within the {@code remainingNanos} left to the join. A seed swamped by a mass join refuses exchanges beyond its
     * limit; jittered, growing delays spread the retries out instead of repeating the stampede.
     */
    public long joinRetryDelay(int attempt, long remainingNanos) {
        if (attempt >= JOIN_ATTEMPTS) {
            return -1;
        }
        long base = Math.min(
                config.streamTimeout().toNanos(), config.gossipInterval().toNanos() << attempt);
        long delay = base / 2 + random.nextLong(Math.max(1, base));
        return delay < remainingNanos ? delay : -1;
    }

    /**
     * A probed member's ack said it counts {@code members} live members (Murmur's addition). More than this node
     * counts, once no member has joined, died or left here for a churn-sync delay, means gossip missed something here:
     * the alive messages of a mass join are sent a fixed number of times, and the churn syncs that repair such gaps may
     * have been spent while the join was still going on; or a member declared failed here refuted, and the
     * refutation never came. A push/pull with that member fills the gap within a probe interval,
     * instead of at the next periodic push/pull, a minute away in a large cluster. Such gap syncs come at most once
     * per (scaled) churn-sync delay and at most {@link #CHURN_SYNC_BUDGET} times per budget window, like churn syncs;
     * in a cluster whose members all know each other they never happen.
     */
    public List<Effect> onProbeAcked(String peer, int members, long now) {
        long quiet = config.churnSyncDelay().toNanos();
        if (members <= view.liveCount() || quiet == 0 || now - lastLivenessChangeNanos < quiet) {
            return List.of();
        }
        long window = churnSyncBudgetWindow();
        while (!recentGapSyncs.isEmpty() && now - recentGapSyncs.peekFirst() >= window) {
            recentGapSyncs.pollFirst();
        }
        if (recentGapSyncs.size() >= CHURN_SYNC_BUDGET
                || (!recentGapSyncs.isEmpty() && now - recentGapSyncs.peekLast() < churnSyncDelay())) {
            return List.of();
        }
        Member m = view.getOrNull(peer);
        if (m == null || m.state() != NodeState.ALIVE) {
            return List.of();
        }
        recentGapSyncs.addLast(now);
        return List.of(new Effect.Request(m.address(), localState(false), Purpose.GAP));
    }

    /**
     * The answer of the peer at {@code from} to one of our exchanges: merge it. When the peer is a seed, note which
     * member answered there (its own row has the seed's address), so that the re-join can tell whether it is live.
     */
    public List<Effect> onResponse(Address from, PushPull remote) {
        if (seeds.containsKey(from)) {
            for (PushNodeState row : remote.nodes()) {
                if (row.node().address().equals(from) && row.state() == NodeState.ALIVE) {
                    seeds.put(from, row.node().name());
                    break;
                }
            }
        }
        return merge(remote.nodes());
    }

    /** A peer's exchange: answer with our state (taken before merging theirs, as memberlist does), then merge. */
    public Reply onRequest(PushPull remote) {
        return new Reply(localState(false), merge(remote.nodes()));
    }

    /** The answer to send back, and what merging the request changes here. */
    public record Reply(PushPull response, List<Effect> effects) {}

    /** What push/pulls carry for the layer above membership from now on (memberlist's delegate {@code LocalState}). */
    public void userState(Bytes state) {
        this.userState = java.util.Objects.requireNonNull(state, "state");
    }

    /** This node's whole table as a push/pull message. */
    public PushPull localState(boolean join) {
        List<PushNodeState> rows = new ArrayList<>(view.size());
        view.forEach(m -> rows.add(new PushNodeState(m.info(), m.incarnation(), m.state())));
        return new PushPull(join, rows, userState);
    }

    /** memberlist's {@code pushPull}: one exchange with a random alive member other than this node. */
    private void exchangeWithRandomMember(Purpose purpose, List<Effect> out) {
        // One pass, no copy (reservoir sampling): tables of 10,000 members are walked every interval.
        Member[] chosen = new Member[1];
        int[] seen = new int[1];
        view.forEach(m -> {
            if (m.state() == NodeState.ALIVE && !m.name().equals(self) && random.nextInt(++seen[0]) == 0) {
                chosen[0] = m;
            }
        });
        if (chosen[0] != null) {
            out.add(new Effect.Request(chosen[0].address(), localState(false), purpose));
        }
    }

    private List<Effect> rejoin() {
        List<Effect> out = new ArrayList<>();
        if (alone()) {
            lonelyRejoins++;
        } else {
            lonelyRejoins = -1;
        }
        out.add(new Effect.StartTimer(RejoinTick.INSTANCE, rejoinDelay()));
        if (seeds.isEmpty()) {
            return out;
        }
        PushPull state = null;
        for (java.util.Map.Entry<Address, String> seed : seeds.entrySet()) {
            Member there = seed.getValue() == null ? null : view.getOrNull(seed.getValue());
            // A seed still counts while the member that answered there is live at that address.
            if (there == null || !there.isLive() || !there.address().equals(seed.getKey())) {
                state = state == null ? localState(true) : state;
                out.add(new Effect.Request(seed.getKey(), state, Purpose.REJOIN));
            }
        }
        return out;
    }

    /**
     * When the next re-join is due: every {@code rejoin-interval}, but sooner while this node knows no live member
     * besides itself and has seeds to ask (Murmur's addition). A join whose seed was too swamped to answer within the
     * join's deadline (a mass join through one seed) otherwise leaves the node alone, and unknown to everybody, for a
     * whole interval. The first early re-join comes between one and one and a half join deadlines after the join, so
     * that it never overlaps the join's own retries; each further one waits twice as long, up to the interval, so an
     * unreachable seed costs little.
     */
    private long rejoinDelay() {
        long interval = config.rejoinInterval().toNanos();
        if (lonelyRejoins < 0 || seeds.isEmpty()) {
            return interval;
        }
        long base = joinDeadlineNanos() << Math.min(lonelyRejoins, 20);
        if (base <= 0 || base >= interval) {
            return interval;
        }
        return Math.min(interval, base + random.nextLong(Math.max(1, base / 2)));
    }

    /** Whether no member but this node is alive or suspect. */
    private boolean alone() {
        Member me = view.getOrNull(self);
        return view.liveCount() - (me != null && me.isLive() ? 1 : 0) == 0;
    }

    private List<Effect> merge(List<PushNodeState> remote) {
        List<Effect> out = new ArrayList<>(remote.size());
        for (Message update : mergeUpdates(remote, self)) {
            out.add(new Effect.Apply(update, true));
        }
        return out;
    }

    /** memberlist's {@code mergeState}: the messages a remote table amounts to, applied through the usual rules. */
    public static List<Message> mergeUpdates(List<PushNodeState> remote, String self) {
        List<Message> updates = new ArrayList<>(remote.size());
        for (PushNodeState r : remote) {
            String name = r.node().name();
            updates.add(
                    switch (r.state()) {
                        case ALIVE -> new Alive(r.incarnation(), r.node());
                        case LEFT -> new Dead(r.incarnation(), name, name);
                        // Prefer suspecting to declaring dead outright: the member can still refute.
                        case DEAD, SUSPECT -> new Suspect(r.incarnation(), name, self);
                    });
        }
        return updates;
    }

    /** memberlist's {@code pushPullScale}: above 32 members, the interval grows with log2 of the size. */
    public static long pushPullScale(long intervalNanos, int n) {
        if (n <= PUSH_PULL_SCALE_THRESHOLD) {
            return intervalNanos;
        }
        double multiplier =
                Math.ceil(Math.log(n) / Math.log(2) - Math.log(PUSH_PULL_SCALE_THRESHOLD) / Math.log(2)) + 1.0;
        return (long) multiplier * intervalNanos;
    }
}
