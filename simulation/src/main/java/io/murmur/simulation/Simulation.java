package io.murmur.simulation;

import io.murmur.membership.Effect;
import io.murmur.membership.Member;
import io.murmur.membership.MemberView;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Message.PushNodeState;
import io.murmur.protocol.Message.PushPull;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;
import io.murmur.protocol.Versions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic discrete-event simulation of a Murmur cluster: the protocol cores the actors run, in virtual time,
 * over a {@link NetworkModel}, from one seed. Everything random (each node's choices, the network's losses and
 * delays) derives from that seed and nothing reads a clock, so the same seed and scenario replay exactly; the
 * {@linkplain #traceHash() trace hash} proves it.
 *
 * <pre>{@code
 * Simulation sim = new Simulation(42, MembershipConfig.lan());
 * sim.startConverged(1000);
 * sim.network().loss(0.05);
 * sim.runFor(Duration.ofSeconds(10));
 * sim.node(7).crash();
 * sim.runFor(Duration.ofSeconds(30));
 * }</pre>
 */
public final class Simulation {

    private static final int TRACE_ACTION = 3;

    final Clock clock = new Clock();
    final TraceHash trace = new TraceHash();
    final Codec codec = new Codec();
    private final MembershipConfig config;
    private final long seed;
    private final SplittableRandom networkRandom;
    private final NetworkModel network = new NetworkModel();
    /** The machine all nodes share, or null (the default): each node has its own and work costs nothing. */
    SharedCpu cpu;
    /** When timers fire: on time (the default), or on a scheduler's ticks. */
    TimerTicks timerTicks = new TimerTicks(0);

    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<Address, SimNode> byAddress = new HashMap<>();
    private final List<Observer> observers = new ArrayList<>();
    /** Passes what the nodes report on to the observers a scenario attached. */
    final Observer observer = new Observer() {
        @Override
        public void changed(SimNode node, Effect.Changed change) {
            for (Observer o : observers) {
                o.changed(node, change);
            }
        }

        @Override
        public void event(SimNode node, io.murmur.membership.MemberEvent event) {
            for (Observer o : observers) {
                o.event(node, event);
            }
        }

        @Override
        public void sent(SimNode node, int bytes, boolean reliable) {
            for (Observer o : observers) {
                o.sent(node, bytes, reliable);
            }
        }
    };

    long inputRejected;
    long userMessages;
    long packets;
    long bytes;
    long packetsLost;

    public Simulation(long seed, MembershipConfig config) {
        this.seed = seed;
        this.config = config;
        this.networkRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    public long seed() {
        return seed;
    }

    public MembershipConfig config() {
        return config;
    }

    public NetworkModel network() {
        return network;
    }

    /**
     * Runs every node on one machine whose cores they share, each piece of work costing what {@code model} says (N
     * node actors in one JVM); call before the nodes start. Null turns it off.
     */
    public Simulation cpu(CpuModel model) {
        this.cpu = model == null ? null : new SharedCpu(clock, model);
        return this;
    }

    /** Fires the nodes' timers on the ticks of {@code ticks} (the actors' scheduler) instead of on time. */
    public Simulation timerTicks(TimerTicks ticks) {
        this.timerTicks = ticks == null ? new TimerTicks(0) : ticks;
        return this;
    }

    /** CPU time the nodes have spent under the {@linkplain #cpu CPU model}, in nanoseconds (0 without one). */
    public long cpuBusyNanos() {
        return cpu == null ? 0 : cpu.busyNanos();
    }

    /** Virtual time, in nanoseconds since the start. */
    public long now() {
        return clock.now();
    }

    public String traceHash() {
        return trace.hex();
    }

    /** Events run so far. */
    public long events() {
        return clock.fired();
    }

    void observe(Observer o) {
        observers.add(o);
    }

    public int size() {
        return nodes.size();
    }

    SimNode node(int index) {
        return nodes.get(index);
    }

    List<SimNode> nodes() {
        return nodes;
    }

    /** The address of node {@code i}: 10.a.b.c:7946, distinct for up to 16 million nodes. */
    static Address addressOf(int i) {
        return new Address("10." + ((i >> 16) & 0xFF) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF), 7946);
    }

    static String nameOf(int i) {
        return "n" + i;
    }

    private SimNode create() {
        int i = nodes.size();
        NodeInfo info = new NodeInfo(nameOf(i), addressOf(i), Bytes.EMPTY, Versions.CURRENT);
        // Each node's generator is derived from the run's seed and its index only.
        long nodeSeed = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i).nextLong();
        SimNode node = new SimNode(this, i, new NodeSettings(info, config, nodeSeed));
        nodes.add(node);
        byAddress.put(node.address(), node);
        return node;
    }

    /**
     * Starts {@code n} nodes that already know each other (all alive at incarnation 1), sharing one initial view, as
     * a cluster that has been running a while: how large clusters begin without an O(N²) mass join. Every node but
     * node 0 remembers node 0 as the seed it joined through.
     */
    public void startConverged(int n) {
        List<Member> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(new Member(
                    new NodeInfo(nameOf(i), addressOf(i), Bytes.EMPTY, Versions.CURRENT), 1, NodeState.ALIVE, 0));
        }
        MemberView cluster = MemberView.of(members);
        int first = nodes.size();
        for (int i = 0; i < n; i++) {
            SimNode node = create();
            node.boot(cluster);
            if (i > 0) {
                node.cores.syncer.rememberSeed(addressOf(first), nameOf(first));
            }
        }
    }

    /** Starts {@code n} more nodes, each alone; returns the index of the first. */
    public int startAlone(int n) {
        int first = nodes.size();
        for (int i = 0; i < n; i++) {
            create().boot(null);
        }
        return first;
    }

    /** Node {@code node} joins through the given seeds (indexes), now. */
    public JoinAttempt join(int node, int... seeds) {
        SimNode n = nodes.get(node);
        List<Address> addresses = new ArrayList<>(seeds.length);
        for (int s : seeds) {
            addresses.add(nodes.get(s).address());
        }
        JoinAttempt attempt = new JoinAttempt(addresses, now());
        action(node, 'j');
        n.deliver(() -> n.run(n.cores.syncer.join(addresses, attempt)), false);
        return attempt;
    }

    /** Node {@code node} stops without a word. */
    public void crash(int node) {
        action(node, 'c');
        nodes.get(node).crash();
    }

    /** A crashed node starts again with no memory (as after a process restart) and joins through {@code seeds}. */
    public void restart(int node, int... seeds) {
        action(node, 'r');
        SimNode n = nodes.get(node);
        if (!n.isCrashed()) {
            n.crash();
        }
        n.boot(null);
        join(node, seeds);
    }

    /** Node {@code node} stops the world for {@code nanos}. */
    public void pause(int node, long nanos) {
        action(node, 'p');
        nodes.get(node).pause(nanos);
    }

    /** Every piece of work node {@code node} does takes {@code nanos} from now on (0 restores it). */
    public void slow(int node, long nanos) {
        action(node, 's');
        nodes.get(node).slow(nanos);
    }

    /** Node {@code node} gossips new metadata (a broadcast of its alive message at a higher incarnation). */
    public void updateMeta(int node, Bytes meta) {
        action(node, 'm');
        SimNode n = nodes.get(node);
        n.deliver(() -> n.run(n.cores.table.updateMeta(meta, now())), false);
    }

    /** Node {@code node} leaves gracefully. */
    public void leave(int node) {
        action(node, 'l');
        SimNode n = nodes.get(node);
        n.deliver(() -> n.run(n.cores.table.leave(new LeaveToken(node), now())), false);
    }

    /** Runs {@code action} at virtual time {@code time} (a scenario's script). */
    public void at(long time, Runnable action) {
        clock.at(time, Event.of(action));
    }

    public void runUntil(long time) {
        clock.runUntil(time);
    }

    public void runFor(java.time.Duration d) {
        clock.runUntil(now() + d.toNanos());
    }

    /** A generator for a scenario's own random choices (which node, how long a pause), derived from the seed. */
    public SplittableRandom scenarioRandom() {
        return new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
    }

    /** The largest number of broadcasts waiting in any node's queues right now. */
    int maxQueueDepth() {
        int max = 0;
        for (SimNode n : nodes) {
            if (!n.isCrashed()) {
                max = Math.max(max, n.cores.gossiper.queuedMembership() + n.cores.gossiper.queuedUser());
            }
        }
        return max;
    }

    private void action(int node, char what) {
        trace.add(now(), node, TRACE_ACTION, what);
    }

    record LeaveToken(int node) {}

    private final Set<Integer> leavesDone = new HashSet<>();

    boolean leaveDone(int node) {
        return leavesDone.contains(node);
    }

    void broadcastDone(SimNode node, Object token) {
        if (token instanceof LeaveToken t) {
            leavesDone.add(t.node());
        }
    }

    // --- the network

    void transmit(SimNode from, Address to, byte[] packet) {
        from.packetsSent++;
        from.bytesSent += packet.length;
        packets++;
        bytes += packet.length;
        observer.sent(from, packet.length, false);
        SimNode dest = byAddress.get(to);
        if (dest == null || !network.connected(from.index, dest.index) || network.lost(networkRandom)) {
            packetsLost++;
            return;
        }
        Address source = from.address();
        long leaves = cpu == null ? 0 : from.chargeSend(cpu.model.send(packet.length));
        int copies = network.duplicated(networkRandom) ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            long delay = leaves + network.delay(from.index, dest.index, packet.length, now() + leaves, networkRandom);
            clock.after(delay, Event.of(() -> dest.deliver(() -> dest.onPacket(source, packet), true, packet.length)));
        }
    }

    /** One reliable-path exchange in flight. */
    private final class Exchange {
        final SimNode from;
        final SimNode to;
        final Effect.Request request;
        final Event timeout;
        boolean done;

        Exchange(SimNode from, SimNode to, Effect.Request request) {
            this.from = from;
            this.to = to;
            this.request = request;
            this.timeout = clock.after(config.streamTimeout().toNanos(), Event.of(this::timedOut));
        }

        void timedOut() {
            if (!done) {
                done = true;
                from.deliver(() -> from.exchangeFailed(request), false);
            }
        }

        /** At the peer: answer (and merge), then send the answer back if the way back is open. */
        void serve() {
            var reply = to.cores.syncer.onRequest(request.message());
            to.run(reply.effects());
            int replyBytes = wireSize(reply.response());
            to.bytesSent += replyBytes;
            bytes += replyBytes;
            observer.sent(to, replyBytes, true);
            long leaves = cpu == null ? 0 : to.chargeSend(cpu.model.send(replyBytes));
            if (network.connected(to.index, from.index)) {
                long back =
                        leaves + network.streamDelay(to.index, from.index, replyBytes, now() + leaves, networkRandom);
                clock.after(back, Event.of(() -> from.deliver(() -> answered(reply.response()), true, replyBytes)));
            }
        }

        void answered(PushPull response) {
            if (!done) {
                done = true;
                timeout.cancel();
                from.exchangeDone(request, response);
            }
        }
    }

    /** A reliable-path exchange: the request, the peer's answer, or a timeout if either cannot get through. */
    void request(SimNode from, Effect.Request r) {
        SimNode to = byAddress.get(r.to());
        Exchange exchange = new Exchange(from, to, r);
        int requestBytes = wireSize(r.message());
        from.bytesSent += requestBytes;
        bytes += requestBytes;
        observer.sent(from, requestBytes, true);
        long leaves = cpu == null ? 0 : from.chargeSend(cpu.model.send(requestBytes));
        if (to == null || !network.connected(from.index, to.index) || !network.connected(to.index, from.index)) {
            return; // times out, as a connection attempt would
        }
        long there = leaves + network.streamDelay(from.index, to.index, requestBytes, now() + leaves, networkRandom);
        clock.after(there, Event.of(() -> to.deliver(exchange::serve, true, requestBytes)));
    }

    /**
     * The encoded size of a push/pull, computed rather than encoded: a 10,000-row table would otherwise be encoded
     * for every exchange just to be counted. Exact for ASCII names and hosts.
     */
    static int wireSize(PushPull p) {
        int size = Codec.HEADER_BYTES
                + 1
                + 1
                + varint(p.nodes().size())
                + varint(p.userState().size())
                + p.userState().size();
        for (PushNodeState row : p.nodes()) {
            NodeInfo n = row.node();
            int name = n.name().length();
            int host = n.address().host().length();
            size += varint(name)
                    + name
                    + varint(host)
                    + host
                    + 2
                    + varint(n.meta().size())
                    + n.meta().size()
                    + 6
                    + varlong(row.incarnation())
                    + 1;
        }
        return size;
    }

    private static int varint(int v) {
        return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
    }

    private static int varlong(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** A join in progress in the simulation: which seeds answered. */
    public static final class JoinAttempt {
        private final List<Address> seeds;
        private final Map<Address, Integer> failures = new HashMap<>();
        private final Set<Address> answered = new HashSet<>();
        private final Set<Address> gaveUp = new HashSet<>();
        final long startedAt;

        JoinAttempt(List<Address> seeds, long startedAt) {
            this.seeds = List.copyOf(seeds);
            this.startedAt = startedAt;
        }

        void answered(SimNode node, Address seed) {
            answered.add(seed);
        }

        int failed(Address seed) {
            return failures.merge(seed, 1, Integer::sum);
        }

        void gaveUp(Address seed) {
            gaveUp.add(seed);
        }

        public boolean finished() {
            return answered.size() + gaveUp.size() == seeds.size();
        }

        public int joined() {
            return answered.size();
        }
    }
}
