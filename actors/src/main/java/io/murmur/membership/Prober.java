package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Ack;
import io.murmur.protocol.Message.IndirectPing;
import io.murmur.protocol.Message.Nack;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * SWIM failure detection with Lifeguard, as memberlist's {@code probeNode}: each round probes the next member of a
 * shuffled round-robin list with a direct ping; without an ack after the probe timeout it asks {@code indirectChecks}
 * other members to ping the target for it (they answer with a nack if they cannot reach it either); without any ack
 * by the end of the round it suspects the target. A probe of a member already suspected carries the suspicion along,
 * so the target can refute it at once.
 *
 * <p>Rounds are {@code probeInterval * (healthScore + 1)} long: a node whose own probes keep failing without nacks
 * slows down rather than accuse healthy peers (Lifeguard local health awareness).
 */
public final class Prober {

    public sealed interface Timer extends TimerKey permits ProbeTick, AckTimeout, RelayTimeout {}

    /** Starts the next round (and concludes the previous one). */
    public enum ProbeTick implements Timer {
        INSTANCE
    }

    /** No direct ack within the probe timeout: go indirect. */
    public record AckTimeout(int seqNo) implements Timer {}

    /** A ping relayed for another member went unanswered: nack it. */
    public record RelayTimeout(int seqNo) implements Timer {}

    private static final class Probe {
        final int seqNo;
        final Member target;
        final long sentAt;
        boolean acked;
        int expectedNacks;
        final java.util.Set<Address> nackedBy = new java.util.HashSet<>();

        Probe(int seqNo, Member target, long sentAt) {
            this.seqNo = seqNo;
            this.target = target;
            this.sentAt = sentAt;
        }
    }

    private record Relay(int originalSeqNo, Address requester, boolean nack) {}

    private final String self;
    private final Address selfAddress;
    private final MembershipConfig config;
    private final RandomGenerator random;
    private final Awareness awareness;
    private final List<String> probeList = new ArrayList<>();
    private final Map<Integer, Relay> relays = new HashMap<>();
    private MemberView view = MemberView.empty();
    private Bytes ackPayload = Bytes.EMPTY;
    private int probeIndex;
    private int nextSeqNo;
    private Probe current;
    private long probes;
    private long failedProbes;
    private long lastRttNanos = -1;
    private long relaysRefused;

    /** Follows a whole table at once: the probe list becomes its members, shuffled. */
    public void follow(MemberView table) {
        view = table;
        probeList.clear();
        for (Member m : table.all()) {
            if (!m.name().equals(self)) {
                probeList.add(m.name());
            }
        }
        reshuffle();
    }

    public Prober(NodeInfo self, MembershipConfig config, RandomGenerator random) {
        this.self = self.name();
        this.selfAddress = self.address();
        this.config = config;
        this.random = random;
        this.awareness = new Awareness(config.awarenessMaxMultiplier());
        this.nextSeqNo = random.nextInt();
    }

    /** Schedules the first round after a random stagger, so that nodes started together do not probe in lockstep. */
    public List<Effect> start(long now) {
        long interval = config.probeInterval().toNanos();
        return List.of(new Effect.StartTimer(ProbeTick.INSTANCE, random.nextLong(interval)));
    }

    /** Sets what acks carry (the serf layer puts network coordinates there). */
    public void ackPayload(Bytes payload) {
        this.ackPayload = payload;
    }

    public int healthScore() {
        return awareness.score();
    }

    /** Applies a change of the local health score (for example +1 when this node had to refute a suspicion). */
    public void adjustHealth(int delta) {
        if (config.lifeguard()) {
            awareness.apply(delta);
        }
    }

    public long probes() {
        return probes;
    }

    public long failedProbes() {
        return failedProbes;
    }

    /** Indirect pings not relayed because {@link #MAX_RELAYS} were already in flight. */
    public long relaysRefused() {
        return relaysRefused;
    }

    /** Round-trip time of the last successful direct probe, or -1. */
    public long lastRttNanos() {
        return lastRttNanos;
    }

    /** Follows the member table: new members join the probe list at a random position. */
    public void onChange(Effect.Changed change) {
        view = change.view();
        if (change.before() == null
                && change.after() != null
                && !change.after().name().equals(self)) {
            RandomPeers.insertAtRandom(probeList, change.after().name(), random);
        } else if (change.after() == null && change.before() != null) {
            // Forgotten: drop it now (memberlist deletes purged nodes from its list), or a member that comes back
            // before the next reshuffle would be listed, and probed, twice per pass.
            int i = probeList.indexOf(change.before().name());
            if (i >= 0) {
                probeList.remove(i);
                if (i < probeIndex) {
                    probeIndex--;
                }
            }
        }
    }

    public List<Effect> onTimer(TimerKey key, long now) {
        if (key instanceof AckTimeout t) {
            return ackTimeout(t.seqNo());
        } else if (key instanceof RelayTimeout t) {
            return relayTimeout(t.seqNo());
        } else if (key == ProbeTick.INSTANCE) {
            return tick(now);
        }
        throw new IllegalArgumentException("not a prober timer: " + key);
    }

    /** Answers a direct ping addressed to this node. */
    public List<Effect> onPing(Ping ping) {
        if (!ping.target().equals(self)) {
            return List.of(); // meant for a node that used to live at this address
        }
        return List.of(new Effect.Send(ping.source(), List.of(new Ack(ping.seqNo(), ackPayload, view.liveCount()))));
    }

    /**
     * Indirect pings relayed at once, at most: each holds a little state and a timer until its ack or its timeout, so a
     * flood of requests (from a peer, or forged) must not grow them without bound.
     */
    static final int MAX_RELAYS = 256;

    /** Pings {@code target} on behalf of the requester and relays the ack, or a nack if none comes in time. */
    public List<Effect> onIndirectPing(IndirectPing request) {
        if (relays.size() >= MAX_RELAYS) {
            relaysRefused++;
            return List.of();
        }
        int seqNo = nextSeqNo++;
        relays.put(seqNo, new Relay(request.seqNo(), request.source(), request.nack()));
        return List.of(
                new Effect.Send(request.targetAddress(), List.of(new Ping(seqNo, request.target(), self, selfAddress))),
                new Effect.StartTimer(new RelayTimeout(seqNo), relayTimeoutNanos(config)));
    }

    /**
     * How long a relayed ping waits for its ack before the nack goes back: the probe timeout, as in memberlist, but
     * never so long that the nack cannot reach the requester before its round ends. The requester asks one probe
     * timeout into a round at least one probe interval long, so a nack sent after a full probe timeout arrives after
     * the round whenever the timeout is half the interval or more (the {@code lan} profile: asked at 500 ms, nacked at
     * 1000 ms, round over at 1000 ms). memberlist has that race: every failed probe then counts the helpers' nacks as
     * missing, which Lifeguard reads as the prober's own ill health, and raises its health score by the number of
     * helpers, stretching its probe rounds. The nack leaves a fifth of the probe timeout
     * before the round's end instead, leaving time for the network and the requester's scheduling.
     */
    static long relayTimeoutNanos(MembershipConfig config) {
        long timeout = config.probeTimeout().toNanos();
        long beforeRoundEnds = config.probeInterval().toNanos() - timeout - timeout / 5;
        return Math.max(timeout / 5, Math.min(timeout, beforeRoundEnds));
    }

    public List<Effect> onAck(Ack ack, long now) {
        Probe p = current;
        if (p != null && p.seqNo == ack.seqNo()) {
            if (p.acked) {
                return List.of();
            }
            p.acked = true;
            adjustHealth(-1);
            lastRttNanos = now - p.sentAt;
            return List.of(
                    new Effect.CancelTimer(new AckTimeout(p.seqNo)),
                    new Effect.ProbeAcked(p.target.name(), lastRttNanos, ack.payload(), ack.members()));
        }
        Relay relay = relays.remove(ack.seqNo());
        if (relay == null) {
            return List.of(); // late: the round it belonged to is over
        }
        return List.of(
                new Effect.CancelTimer(new RelayTimeout(ack.seqNo())),
                new Effect.Send(relay.requester(), List.of(new Ack(relay.originalSeqNo(), Bytes.EMPTY))));
    }

    /**
     * Counts a nack. Once every member asked to probe indirectly has answered that it could not reach the target
     * either, the probe concludes at once instead of waiting out the round (Murmur's addition): the only evidence
     * still to come is a direct ack already a probe timeout late, and the suspicion it would have spared can still
     * be refuted. Failures are suspected about half a round sooner; false failures are as rare as before, since a
     * suspicion becomes a failure only after the suspicion timeout.
     */
    public List<Effect> onNack(Nack nack, Address from) {
        Probe p = current;
        // A nack counts once per helper: a duplicated packet must not stand in for a helper that said nothing.
        if (p == null || p.seqNo != nack.seqNo() || p.acked || !p.nackedBy.add(from)) {
            return List.of();
        }
        if (p.nackedBy.size() < p.expectedNacks) {
            return List.of();
        }
        List<Effect> out = new ArrayList<>(2);
        conclude(out);
        return out;
    }

    private List<Effect> tick(long now) {
        List<Effect> out = new ArrayList<>();
        conclude(out);
        out.add(new Effect.StartTimer(
                ProbeTick.INSTANCE, awareness.scale(config.probeInterval().toNanos())));
        Member target = nextTarget();
        if (target == null) {
            return out;
        }
        probes++;
        int seqNo = nextSeqNo++;
        current = new Probe(seqNo, target, now);
        Ping ping = new Ping(seqNo, target.name(), self, selfAddress);
        // Lifeguard's buddy system: a suspect learns of the suspicion from the probe itself, and can refute at once.
        List<Message> packet = target.state() == NodeState.ALIVE || !config.lifeguard()
                ? List.of(ping)
                : List.of(ping, new Suspect(target.incarnation(), target.name(), self));
        out.add(new Effect.Send(target.address(), packet));
        out.add(new Effect.StartTimer(
                new AckTimeout(seqNo), config.probeTimeout().toNanos()));
        return out;
    }

    /** Ends the previous round: an unanswered probe raises the health score and makes the target suspect. */
    private void conclude(List<Effect> out) {
        Probe p = current;
        current = null;
        if (p == null || p.acked) {
            return;
        }
        failedProbes++;
        out.add(new Effect.CancelTimer(new AckTimeout(p.seqNo)));
        // Missing nacks mean the requests or their answers got lost on our side: our own health is in question.
        adjustHealth(p.expectedNacks > 0 ? Math.max(0, p.expectedNacks - p.nackedBy.size()) : 1);
        out.add(new Effect.Apply(new Suspect(p.target.incarnation(), p.target.name(), self)));
    }

    private List<Effect> ackTimeout(int seqNo) {
        Probe p = current;
        if (p == null || p.seqNo != seqNo || p.acked) {
            return List.of();
        }
        String target = p.target.name();
        List<String> peers = RandomPeers.pick(
                probeList,
                config.indirectChecks(),
                name -> {
                    if (name.equals(target)) {
                        return false;
                    }
                    Member m = view.getOrNull(name);
                    return m != null && m.state() == NodeState.ALIVE;
                },
                random);
        List<Effect> out = new ArrayList<>(peers.size());
        boolean nack = config.lifeguard();
        IndirectPing request = new IndirectPing(seqNo, target, p.target.address(), nack, self, selfAddress);
        for (String peer : peers) {
            out.add(new Effect.Send(view.getOrNull(peer).address(), List.of(request)));
            if (nack) {
                p.expectedNacks++;
            }
        }
        return out;
    }

    private List<Effect> relayTimeout(int seqNo) {
        Relay relay = relays.remove(seqNo);
        if (relay == null || !relay.nack()) {
            return List.of();
        }
        return List.of(new Effect.Send(relay.requester(), List.of(new Nack(relay.originalSeqNo()))));
    }

    /** memberlist's {@code probe}: the next member in round-robin order that is neither us nor dead nor left. */
    private Member nextTarget() {
        int checked = 0;
        while (true) {
            if (checked > probeList.size()) {
                return null;
            }
            if (probeIndex >= probeList.size()) {
                reshuffle();
                checked++;
                continue;
            }
            Member m = view.getOrNull(probeList.get(probeIndex++));
            if (m == null || m.name().equals(self) || m.state().isDeadOrLeft()) {
                checked++;
                continue;
            }
            return m;
        }
    }

    /** At the end of each pass: drop forgotten members and shuffle (SWIM §4.3: bounded time to first detection). */
    private void reshuffle() {
        probeList.removeIf(name -> !view.contains(name));
        for (int i = probeList.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String tmp = probeList.get(i);
            probeList.set(i, probeList.get(j));
            probeList.set(j, tmp);
        }
        probeIndex = 0;
    }
}
