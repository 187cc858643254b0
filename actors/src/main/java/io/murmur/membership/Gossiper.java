package io.murmur.membership;

import io.murmur.protocol.Bytes;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.UserMessage;
import io.murmur.protocol.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Everything that leaves a node passes through here: messages get queued broadcasts piggy-backed up to the packet
 * size, and every gossip interval the queued broadcasts go to {@code gossipNodes} random members (alive, suspect, or
 * dead for less than the gossip-to-the-dead time), memberlist's {@code gossip}.
 *
 * <p>Two queues: membership broadcasts (named by node, so a newer message about a node replaces the older) and user
 * broadcasts. While user broadcasts are waiting they get a guaranteed share of each packet's free space, so that
 * membership churn cannot starve them (memberlist #299); space either queue leaves unused goes to the other.
 */
public final class Gossiper {

    /** Time for a gossip round. */
    public enum GossipTick implements TimerKey {
        INSTANCE
    }

    private final String self;
    private final Codec codec;
    private final MembershipConfig config;
    private final RandomGenerator random;
    private final BroadcastQueue membership;
    private final BroadcastQueue user;
    private final List<String> peers = new ArrayList<>();
    private MemberView view = MemberView.empty();
    private int forgotten;
    private long packets;
    private long piggybacked;

    public Gossiper(String self, Codec codec, MembershipConfig config, RandomGenerator random) {
        this.self = self;
        this.codec = codec;
        this.config = config;
        this.random = random;
        this.membership = new BroadcastQueue(config.retransmitMult());
        this.user = new BroadcastQueue(config.retransmitMult());
    }

    /** Schedules the first gossip round after a random stagger; nothing when gossip rounds are disabled. */
    public List<Effect> start(long now) {
        long interval = config.gossipInterval().toNanos();
        return interval == 0
                ? List.of()
                : List.of(new Effect.StartTimer(GossipTick.INSTANCE, random.nextLong(interval)));
    }

    /** Follows a whole table at once: every member but this node becomes a gossip candidate. */
    public void follow(MemberView table) {
        view = table;
        peers.clear();
        forgotten = 0;
        for (Member m : table.all()) {
            if (!m.name().equals(self)) {
                peers.add(m.name());
            }
        }
    }

    public void onChange(Effect.Changed change) {
        view = change.view();
        if (change.before() == null
                && change.after() != null
                && !change.after().name().equals(self)) {
            if (forgotten > 0) {
                // It may be back before the lazy clean-up below dropped its old entry: list it once.
                peers.remove(change.after().name());
            }
            RandomPeers.insertAtRandom(peers, change.after().name(), random);
        } else if (change.after() == null && ++forgotten > peers.size() / 2) {
            peers.removeIf(name -> !view.contains(name));
            forgotten = 0;
        }
    }

    /**
     * Queues a membership broadcast; returns the tokens of broadcasts it replaced, now done.
     *
     * <p>A death or a leave is sent twice the transmit limit (Murmur's choice, not memberlist's). Each informed member
     * passes a broadcast on about {@code retransmitMult * ceil(log10(N + 1))} times, so about e^-that of the members
     * hear none of them: with the local profile (multiplier 2) that is one member in fifty. For an alive or suspect
     * message the next refutation or push/pull repairs it; a member that misses a death keeps the dead node until its
     * own suspicion timer or its own probe, up to the suspicion maximum (30 s at N = 50, seen in 1 of 40 simulated
     * runs and in real ones). Deaths are rare, so doubling their retransmissions costs little and squares that
     * probability.
     *
     * <p>A death or a leave also goes out at once, in a gossip round of its own, rather than at the next tick (Murmur's
     * choice too). Every member that learns of a death passes it on straight away, so the news crosses the cluster in
     * a few network hops instead of a few gossip intervals: with 200 members about four hops, which at 100 ms per
     * tick cost a third of a second. It costs one extra round per death per member, and the round's transmissions
     * come out of the broadcast's own limit.
     */
    public List<Effect> queue(Effect.Broadcast broadcast, long now) {
        List<Object> done = new ArrayList<>(0);
        boolean death = broadcast.message() instanceof Message.Dead;
        int extra = death ? BroadcastQueue.retransmitLimit(config.retransmitMult(), view.size()) : 0;
        membership.enqueue(broadcast.node(), codec.encode(broadcast.message()), broadcast.doneToken(), done, extra);
        List<Effect> out = doneEffects(done);
        if (death && config.gossipInterval().toNanos() > 0) {
            round(now, out);
        }
        return out;
    }

    /**
     * Queues a user broadcast, dropping the most-transmitted ones beyond the queue limit. Returns false (and queues
     * nothing) for a message too large for any packet, which would otherwise hold on to the user share forever.
     */
    public boolean queueUser(Bytes payload) {
        return queueUser(payload, null, new ArrayList<>(0), 1);
    }

    /**
     * Queues a user broadcast as {@link #queueUser(Bytes)} does, sent {@code transmitMultiple} times the transmit
     * limit; {@code doneToken} (when not null) comes back in a {@link Effect.BroadcastDone} added to {@code out} once
     * the broadcast has been fully sent or pruned, and so do the tokens of broadcasts pruned now.
     */
    public boolean queueUser(Bytes payload, Object doneToken, List<Effect> out, int transmitMultiple) {
        return queueUser(payload, doneToken, out, transmitMultiple, null);
    }

    /**
     * As above, labelled with {@code kind} (null: none), so that {@link #queuedUserByKind} can tell an application's
     * broadcasts apart (the serf layer's intents, events and queries, which Serf keeps in three queues).
     */
    public boolean queueUser(Bytes payload, Object doneToken, List<Effect> out, int transmitMultiple, String kind) {
        byte[] encoded = codec.encode(new UserMessage(payload));
        int room = config.packetSize()
                - Codec.HEADER_BYTES
                - Codec.compoundOverhead(codec.limits().maxCompoundParts());
        if (encoded.length + BroadcastQueue.PER_MESSAGE_OVERHEAD > room) {
            return false;
        }
        List<Object> done = new ArrayList<>(0);
        int extra = (Math.max(1, transmitMultiple) - 1)
                * BroadcastQueue.retransmitLimit(config.retransmitMult(), view.size());
        user.enqueue(null, encoded, doneToken, done, extra, kind);
        user.prune(config.userBroadcastQueueLimit(), done);
        out.addAll(doneEffects(done));
        return true;
    }

    /** Encodes {@code send}'s messages into one packet, filled up with broadcasts. */
    public List<Effect> send(Effect.Send send) {
        List<byte[]> parts = new ArrayList<>(send.messages().size() + 8);
        int used = Codec.HEADER_BYTES + Codec.compoundOverhead(codec.limits().maxCompoundParts());
        for (Message m : send.messages()) {
            byte[] encoded = codec.encode(m);
            parts.add(encoded);
            used += Codec.partOverhead(encoded.length) + encoded.length;
        }
        List<Object> done = new ArrayList<>(0);
        fill(parts, config.packetSize() - used, done);
        List<Effect> out = doneEffects(done);
        out.add(new Effect.Transmit(send.to(), codec.frame(parts)));
        packets++;
        return out;
    }

    public List<Effect> onTimer(TimerKey key, long now) {
        if (key != GossipTick.INSTANCE) {
            throw new IllegalArgumentException("not a gossiper timer: " + key);
        }
        List<Effect> out = new ArrayList<>();
        out.add(new Effect.StartTimer(
                GossipTick.INSTANCE, config.gossipInterval().toNanos()));
        round(now, out);
        return out;
    }

    /** memberlist's {@code gossip}: queued broadcasts to {@code gossipNodes} random members, a packet each. */
    private void round(long now, List<Effect> out) {
        if (membership.isEmpty() && user.isEmpty()) {
            return;
        }
        long deadTime = config.gossipToTheDeadTime().toNanos();
        List<String> targets = RandomPeers.pick(
                peers,
                config.gossipNodes(),
                name -> {
                    Member m = view.getOrNull(name);
                    return m != null
                            && (m.isLive() || (m.state() == NodeState.DEAD && now - m.stateChangeNanos() <= deadTime));
                },
                random);
        List<Object> done = new ArrayList<>(0);
        int budget = config.packetSize()
                - Codec.HEADER_BYTES
                - Codec.compoundOverhead(codec.limits().maxCompoundParts());
        for (String target : targets) {
            // Broadcasts are taken separately for each target, so each target counts as one transmission.
            List<byte[]> parts = new ArrayList<>();
            fill(parts, budget, done);
            if (parts.isEmpty()) {
                break;
            }
            out.add(new Effect.Transmit(view.getOrNull(target).address(), codec.frame(parts)));
            packets++;
        }
        out.addAll(doneEffects(done));
    }

    /**
     * Adds queued broadcasts to {@code parts} within {@code free} bytes. While user broadcasts wait, membership may
     * use only what is left after the user share (or after what the user queue holds, if that is less). The share is
     * never smaller than the next user broadcast when that fits the packet at all, or a user broadcast larger than
     * the share would wait for as long as membership churn lasts.
     */
    private void fill(List<byte[]> parts, int free, List<Object> done) {
        int n = view.size();
        int maxParts = codec.limits().maxCompoundParts();
        long userPending = user.bytes() + (long) user.size() * BroadcastQueue.PER_MESSAGE_OVERHEAD;
        long share = (long) (free * config.userBroadcastShare());
        if (share > 0 && !user.isEmpty()) {
            long next = user.firstSize() + BroadcastQueue.PER_MESSAGE_OVERHEAD;
            if (next <= free) {
                share = Math.max(share, next);
            }
        }
        int reserved = (int) Math.min(userPending, share);
        int used = add(parts, membership.take(free - reserved, maxParts - parts.size(), n, done));
        add(parts, user.take(free - used, maxParts - parts.size(), n, done));
    }

    private int add(List<byte[]> parts, List<byte[]> taken) {
        int bytes = 0;
        for (byte[] b : taken) {
            parts.add(b);
            bytes += BroadcastQueue.PER_MESSAGE_OVERHEAD + b.length;
        }
        piggybacked += taken.size();
        return bytes;
    }

    private static List<Effect> doneEffects(List<Object> done) {
        List<Effect> out = new ArrayList<>(done.size() + 1);
        for (Object token : done) {
            out.add(new Effect.BroadcastDone(token));
        }
        return out;
    }

    public int queuedMembership() {
        return membership.size();
    }

    public int queuedUser() {
        return user.size();
    }

    /** User broadcasts waiting, by the kind they were queued with (unlabelled ones are left out). */
    public java.util.Map<String, Integer> queuedUserByKind() {
        return user.countByKind();
    }

    /** Packets built so far. */
    public long packets() {
        return packets;
    }

    /** Broadcast transmissions so far (one per message per packet). */
    public long piggybacked() {
        return piggybacked;
    }
}
