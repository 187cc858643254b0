package io.murmur.simulation;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The network a simulation runs on, changeable at any moment of a scenario: per-link latency, uniform and bursty
 * packet loss, one-way link cuts, partitions, duplication, reordering, and per-node bandwidth caps.
 *
 * <p>Loss, duplication and reordering apply to the packet path. The reliable path (push/pull) crosses neither cuts
 * nor partitions (an exchange across one times out) and is never lost, but it is delayed and bandwidth-capped.
 */
public final class NetworkModel {

    private Latency latency = Latency.uniform(500_000, 1_500_000);
    private double loss;
    private double burstEnter;
    private double burstLeave = 1;
    private double burstLoss;
    private boolean inBurst;
    private double duplicate;
    private double reorder;
    private long reorderDelayNanos = 50_000_000;
    private final Set<Long> cuts = new HashSet<>();
    private int[] partitionOf;
    private long[] bytesPerSecond;
    private long[] linkFreeAt;
    private long setupNanos;
    private long setupIdleNanos;
    private long streamSetupNanos;
    private boolean setupPerDestination;
    private long coldStreamNanos;
    private long streamFirstUsedAt = -1;
    private final java.util.HashMap<Long, Long> lastUse = new java.util.HashMap<>();
    private final java.util.HashMap<Long, Long> lastStreamUse = new java.util.HashMap<>();

    /** The latency of every link. */
    public NetworkModel latency(Latency l) {
        this.latency = l;
        return this;
    }

    /** Drops each packet independently with probability {@code p}. */
    public NetworkModel loss(double p) {
        this.loss = probability(p);
        return this;
    }

    /**
     * Bursty loss (a Gilbert-Elliott channel): each packet moves the network into a burst with probability
     * {@code enter} and out of it with probability {@code leave}; during a burst packets are lost with probability
     * {@code lossInBurst} (outside a burst, with the uniform loss).
     */
    public NetworkModel bursts(double enter, double leave, double lossInBurst) {
        this.burstEnter = probability(enter);
        this.burstLeave = probability(leave);
        this.burstLoss = probability(lossInBurst);
        return this;
    }

    /** Delivers each packet twice with probability {@code p} (the copy a little later). */
    public NetworkModel duplicate(double p) {
        this.duplicate = probability(p);
        return this;
    }

    /** Delays each packet by up to {@code maxExtraNanos} more with probability {@code p}, so packets overtake. */
    public NetworkModel reorder(double p, long maxExtraNanos) {
        this.reorder = probability(p);
        this.reorderDelayNanos = maxExtraNanos;
        return this;
    }

    /**
     * A connection-oriented transport's first contact: the first packet on a link, or the first after the link has
     * been idle for {@code idleNanos}, waits {@code setupNanos} more (Murmur's Aeron transport holds it until its
     * publication connects, then closes publications idle for 5 s). 0 turns it off.
     */
    public NetworkModel connectionSetup(long setupNanos, long idleNanos) {
        this.setupNanos = setupNanos;
        this.setupIdleNanos = idleNanos;
        return this;
    }

    /**
     * The reliable path's own connections (a second stream, connected separately): the first request or answer on a
     * link, or the first after {@code idleNanos} (of {@link #connectionSetup}) without one, waits {@code setupNanos}
     * more. 0 (the default) turns it off.
     */
    public NetworkModel streamSetup(long setupNanos) {
        this.streamSetupNanos = setupNanos;
        return this;
    }

    /**
     * A freshly started process's reliable path: for {@code nanos} after its first use, what it sends is held (the
     * first exchanges of a fresh JVM load and initialise the stream path's code while they wait). 0 (the default) turns
     * it off.
     */
    public NetworkModel coldStreamPath(long nanos) {
        this.coldStreamNanos = nanos;
        return this;
    }

    /**
     * Whether a connection belongs to the destination rather than to the link: with every node in one process, one
     * connection to a destination serves every sender (Murmur's Aeron media shares a publication per destination
     * among all the nodes of a JVM), so only the first sender to a destination pays the setup.
     */
    public NetworkModel setupPerDestination(boolean perDestination) {
        this.setupPerDestination = perDestination;
        return this;
    }

    /** Cuts the link from node {@code from} to node {@code to} (one way). */
    public NetworkModel cut(int from, int to) {
        cuts.add(link(from, to));
        return this;
    }

    public NetworkModel restore(int from, int to) {
        cuts.remove(link(from, to));
        return this;
    }

    /** Splits the nodes into groups ({@code groupOf[node]}); nothing crosses between groups until {@link #heal}. */
    public NetworkModel partition(int[] groupOf) {
        this.partitionOf = groupOf.clone();
        return this;
    }

    /** Removes the partition and every cut. */
    public NetworkModel heal() {
        partitionOf = null;
        cuts.clear();
        return this;
    }

    /** Caps what node {@code node} can send at {@code bytesPerSecond} (0 = no cap); excess waits its turn. */
    public NetworkModel bandwidth(int node, long bytesPerSecond, int nodes) {
        if (this.bytesPerSecond == null) {
            this.bytesPerSecond = new long[nodes];
            this.linkFreeAt = new long[nodes];
        }
        this.bytesPerSecond[node] = bytesPerSecond;
        return this;
    }

    boolean connected(int from, int to) {
        if (partitionOf != null && partitionOf[from] != partitionOf[to]) {
            return false;
        }
        return cuts.isEmpty() || !cuts.contains(link(from, to));
    }

    /** Whether this packet is lost; steps the burst state. */
    boolean lost(RandomGenerator random) {
        if (burstEnter > 0) {
            inBurst = inBurst ? random.nextDouble() >= burstLeave : random.nextDouble() < burstEnter;
            if (inBurst) {
                return random.nextDouble() < burstLoss;
            }
        }
        return loss > 0 && random.nextDouble() < loss;
    }

    boolean duplicated(RandomGenerator random) {
        return duplicate > 0 && random.nextDouble() < duplicate;
    }

    /** Delay of one packet of {@code bytes} sent now: latency, reordering, and waiting for the sender's bandwidth. */
    long delay(int from, int to, int bytes, long now, RandomGenerator random) {
        return delay(from, to, bytes, now, random, setupNanos, lastUse);
    }

    /** Delay of one reliable-path message (a push/pull request or answer) of {@code bytes} sent now. */
    long streamDelay(int from, int to, int bytes, long now, RandomGenerator random) {
        long held = 0;
        if (coldStreamNanos > 0) {
            if (streamFirstUsedAt < 0) {
                streamFirstUsedAt = now;
            }
            held = Math.max(0, streamFirstUsedAt + coldStreamNanos - now);
        }
        return held + delay(from, to, bytes, now, random, streamSetupNanos, lastStreamUse);
    }

    private long delay(
            int from, int to, int bytes, long now, RandomGenerator random, long setup, java.util.Map<Long, Long> uses) {
        long d = latency.sample(from, to, random);
        if (setup > 0) {
            Long last = uses.put(setupPerDestination ? link(-1, to) : link(from, to), now);
            if (last == null || now - last > setupIdleNanos) {
                d += setup;
            }
        }
        if (reorder > 0 && random.nextDouble() < reorder) {
            d += random.nextLong(reorderDelayNanos + 1);
        }
        if (bytesPerSecond != null && bytesPerSecond[from] > 0) {
            long start = Math.max(now, linkFreeAt[from]);
            long transmit = bytes * 1_000_000_000L / bytesPerSecond[from];
            linkFreeAt[from] = start + transmit;
            d += start + transmit - now;
        }
        return d;
    }

    private static long link(int from, int to) {
        return ((long) from << 32) | (to & 0xFFFFFFFFL);
    }

    private static double probability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a probability must be within [0, 1], was " + p);
        }
        return p;
    }

    @Override
    public String toString() {
        return "NetworkModel(loss=" + loss + ", cuts=" + cuts.size() + ", partition="
                + (partitionOf == null
                        ? "none"
                        : Arrays.stream(partitionOf).distinct().count() + " groups") + ")";
    }
}
