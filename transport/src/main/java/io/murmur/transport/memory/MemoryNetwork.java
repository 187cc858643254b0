package io.murmur.transport.memory;

import io.murmur.protocol.Address;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process network for tests: transports that deliver to each other through method calls, with the simulator's
 * fault model ({@code NetworkModel}, and the pause of {@code SimNode}). Every knob can be turned at any moment, from
 * any thread, and applies to what is sent from then on:
 *
 * <ul>
 *   <li>{@link #cut}, {@link #cutBoth}, {@link #restore}, {@link #partition}, {@link #heal}: one-way link cuts and
 *       partitions. Packets across are dropped; a reliable-path exchange across one times out, as a TCP connect
 *       would.
 *   <li>{@link #loss}: uniform loss, each packet dropped independently with probability p.
 *   <li>{@link #bursts}: bursty loss, a Gilbert-Elliott channel shared by the whole network.
 *   <li>{@link #duplicate}: a packet arrives twice with probability p.
 *   <li>{@link #reorder}: a packet is held back by a random extra delay with probability p, so later ones overtake.
 *   <li>{@link #latency(PacketDelay)} (or a constant {@link #latency(Duration)}): the one-way delay of every message.
 *   <li>{@link #bandwidth}: a cap on what one node sends; a message waits for the ones before it to leave.
 *   <li>{@link #slow}: a node that takes a while over each packet it receives, one after the other.
 *   <li>{@link #pause}: a node cut off for a while, whose traffic both ways is held and then flushed in order (see
 *       there for what that models).
 * </ul>
 *
 * <p>Loss, bursts, duplication, reordering and slowness apply to the packet path. The reliable path is never lost,
 * duplicated or reordered, but it is delayed by the latency, capped by the bandwidth, held by pauses, and fails
 * across a cut or partition.
 *
 * <p>Seeded and thread-safe: every random decision draws from one generator seeded at construction, under one lock
 * ({@link LinkFaults}), so a seed fixes the sequence of draws. Which packet meets which draw depends on how the senders' threads
 * interleave, so a run of real actors is seeded, not replayable packet for packet (the simulator's runs are).
 *
 * <p>Threads: an undelayed delivery runs on the sender's thread, inside {@code send}. Delayed deliveries, request
 * timeouts and the flush at the end of a pause run on the network's one timer thread.
 */
public final class MemoryNetwork implements AutoCloseable {

    /** Packets a paused node's links hold in each direction, as a socket buffer would; more are dropped. */
    public static final int PAUSE_BUFFER_PACKETS = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MemoryNetwork.class);

    private final Map<Address, MemoryTransport> nodes = new ConcurrentHashMap<>();
    private final Set<Link> cut = ConcurrentHashMap.newKeySet();
    private final Map<Address, Pause> pauses = new ConcurrentHashMap<>();
    private final Object pauseLock = new Object();
    private final Stats stats = new Stats();
    private final LinkFaults faults;
    private ScheduledExecutorService scheduler; // guarded by this
    private volatile boolean closed;

    public MemoryNetwork(long seed) {
        this.faults = new LinkFaults(seed, stats);
    }

    public MemoryNetwork() {
        this(1L);
    }

    /** A transport bound at {@code address}; the address must be free. */
    public MemoryTransport bind(Address address) {
        MemoryTransport t = new MemoryTransport(this, address);
        if (nodes.putIfAbsent(address, t) != null) {
            throw new IllegalStateException("address in use: " + address);
        }
        return t;
    }

    /** Drops packets from {@code from} to {@code to} (one way) until {@link #restore}. */
    public void cut(Address from, Address to) {
        cut.add(new Link(from, to));
    }

    /** Cuts both directions between the two addresses. */
    public void cutBoth(Address a, Address b) {
        cut(a, b);
        cut(b, a);
    }

    public void restore(Address from, Address to) {
        cut.remove(new Link(from, to));
    }

    /** Separates the two groups: nothing passes between them, in either direction. */
    public void partition(Collection<Address> left, Collection<Address> right) {
        for (Address a : left) {
            for (Address b : right) {
                cutBoth(a, b);
            }
        }
    }

    /** Removes every cut and partition. */
    public void heal() {
        cut.clear();
    }

    /** Drops each packet independently with probability {@code p} (outside a burst, see {@link #bursts}). */
    public void loss(double p) {
        faults.loss(probability(p, "loss"));
    }

    /**
     * Bursty loss, a Gilbert-Elliott channel (the simulator's {@code NetworkModel.bursts}): each packet first moves
     * the network into a burst with probability {@code enter}, or out of one with probability {@code leave}; a packet
     * sent during a burst is lost with probability {@code lossInBurst}, one sent outside it with the uniform
     * {@link #loss}. Bursts last 1/leave packets on average, network-wide. {@code enter = 0} turns bursts off.
     */
    public void bursts(double enter, double leave, double lossInBurst) {
        faults.bursts(
                probability(enter, "enter"), probability(leave, "leave"), probability(lossInBurst, "lossInBurst"));
    }

    /** Delivers each packet twice with probability {@code p}; each copy draws its own delay. */
    public void duplicate(double p) {
        faults.duplicate(probability(p, "duplicate"));
    }

    /**
     * With probability {@code p}, adds a delay uniform within {@code [0, maxExtra]} to a packet on top of its latency,
     * so that packets sent after it can arrive before it.
     */
    public void reorder(double p, Duration maxExtra) {
        faults.reorder(probability(p, "reorder"), notNegative(maxExtra, "maxExtra"));
    }

    /** Delays every delivery (both paths) by {@code latency}. Zero delivers on the sender's thread. */
    public void latency(Duration latency) {
        latency(PacketDelay.constant(latency));
    }

    /** Delays every message (packets, and each leg of a reliable-path exchange) by a delay drawn per message. */
    public void latency(PacketDelay delay) {
        if (delay == null) {
            throw new IllegalArgumentException("delay");
        }
        faults.latency(delay);
    }

    /**
     * Caps what {@code node} sends (both paths) at {@code bytesPerSecond}: each message leaves once the ones it sent
     * before have, then takes its size over the rate to leave. Zero removes the cap.
     */
    public void bandwidth(Address node, long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("negative bandwidth");
        }
        faults.bandwidth(node, bytesPerSecond);
    }

    /**
     * Makes {@code node} take {@code perPacket} over each packet it receives, one after the other (the simulator's
     * slow node, as a network can show it: packets reach its listener late and queue behind each other, while the
     * node's own timers run on time). Zero makes it normal again.
     */
    public void slow(Address node, Duration perPacket) {
        faults.slow(node, notNegative(perPacket, "perPacket"));
    }

    /**
     * Pauses {@code node} for {@code duration}: every packet and reliable-path message to or from it is held until the
     * pause ends, then passed on in the order it came (packets bounded by {@link #PAUSE_BUFFER_PACKETS} each way, the
     * excess dropped; held outgoing packets then meet the network's faults as if sent at the resume). Pausing a paused
     * node makes the pause last until the later of the two ends.
     *
     * <p>What this models: a stop-the-world pause (a long GC, a descheduled VM) as the node's peers see it. A paused
     * process is silent, then answers its backlog late. An actor system cannot stop one node's actors, so here the
     * node keeps running while it is cut off: its timers fire and its own probes fail, as a real paused node finds
     * its timeouts overdue when it wakes. To the others it is a node that said nothing for a while, then flushed what
     * it had to say and answered what they had sent it.
     *
     * @return completes once the pause has ended and the backlog has been passed on
     */
    public CompletionStage<Void> pause(Address node, Duration duration) {
        long nanos = notNegative(duration, "duration");
        Pause p;
        synchronized (pauseLock) {
            long until = System.nanoTime() + nanos;
            p = pauses.get(node);
            if (p == null || !p.extend(until)) {
                p = new Pause(until, PAUSE_BUFFER_PACKETS);
                pauses.put(node, p);
            }
        }
        Pause pause = p;
        schedule(() -> resumeWhenDue(node, pause), nanos);
        return p.resumed().copy();
    }

    /**
     * Ends the pause of {@code node} now and flushes its backlog on the calling thread (or lets the timer thread finish
     * a flush it has already begun).
     *
     * @return completes once the backlog has been passed on; at once when the node is not paused
     */
    public CompletionStage<Void> resume(Address node) {
        Pause p = pauses.get(node);
        if (p == null) {
            return CompletableFuture.completedFuture(null);
        }
        long now = System.nanoTime();
        p.endNow(now);
        if (p.flushIfDue(now)) {
            pauses.remove(node, p);
        }
        return p.resumed().copy();
    }

    /** Whether {@code node} is paused, or its backlog is still being flushed. */
    public boolean isPaused(Address node) {
        Pause p = pauses.get(node);
        return p != null && !p.resumed().isDone();
    }

    /** What the network did to the traffic so far. */
    public Stats stats() {
        return stats;
    }

    /** Counters of the network's faults, safe to read from any thread. */
    public static final class Stats {
        /** Packets handed to a listener (a duplicate counts twice). */
        public final LongAdder packetsDelivered = new LongAdder();
        /** Packets dropped by uniform or bursty loss. */
        public final LongAdder packetsLost = new LongAdder();
        /** Packets dropped by a cut or partition. */
        public final LongAdder packetsCut = new LongAdder();
        /** Packets sent twice. */
        public final LongAdder packetsDuplicated = new LongAdder();
        /** Packets given an extra delay by {@link #reorder}. */
        public final LongAdder packetsReordered = new LongAdder();
        /** Packets held by a pause (to or from the paused node). */
        public final LongAdder packetsHeld = new LongAdder();
        /** Packets dropped because a paused node's buffer was full. */
        public final LongAdder packetsDroppedWhilePaused = new LongAdder();

        private Stats() {}
    }

    // ---- the packet path: send (held while the sender is paused) -> launch (cuts, loss, duplication, delays)
    // ---- -> arrive (held while the receiver is paused) -> process (slow receiver) -> listener

    void sendPacket(Address from, Address to, byte[] packet) {
        Runnable launch = () -> launchPacket(from, to, packet);
        if (!held(from, launch, Pause.Kind.PACKET_OUT)) {
            launch.run();
        }
    }

    private void launchPacket(Address from, Address to, byte[] packet) {
        if (!passes(from, to)) {
            stats.packetsCut.increment();
            return;
        }
        long[] delays = faults.packet(from, to, packet.length, System.nanoTime());
        if (delays == null) {
            return;
        }
        after(delays[0], () -> arrivePacket(from, to, packet));
        if (delays.length > 1) {
            byte[] copy = packet.clone(); // the listener owns each array it gets
            after(delays[1], () -> arrivePacket(from, to, copy));
        }
    }

    private void arrivePacket(Address from, Address to, byte[] packet) {
        Runnable process = () -> processPacket(from, to, packet);
        if (!held(to, process, Pause.Kind.PACKET_IN)) {
            process.run();
        }
    }

    private void processPacket(Address from, Address to, byte[] packet) {
        after(faults.processing(to, System.nanoTime()), () -> {
            MemoryTransport peer = nodes.get(to);
            if (peer != null) {
                stats.packetsDelivered.increment();
                peer.receive(from, packet);
            }
        });
    }

    // ---- the reliable path: one leg of an exchange, held while either end is paused, never lost

    /** Carries one leg of a reliable-path exchange ({@code bytes} long) and runs {@code arrival} at {@code to}. */
    void carry(Address from, Address to, int bytes, Runnable arrival) {
        Runnable launch = () -> after(faults.exchange(from, to, bytes, System.nanoTime()), () -> {
            if (!held(to, arrival, Pause.Kind.EXCHANGE)) {
                arrival.run();
            }
        });
        if (!held(from, launch, Pause.Kind.EXCHANGE)) {
            launch.run();
        }
    }

    boolean passes(Address from, Address to) {
        return cut.isEmpty() || !cut.contains(new Link(from, to));
    }

    MemoryTransport lookup(Address address) {
        return nodes.get(address);
    }

    void unbind(MemoryTransport t) {
        nodes.remove(t.localAddress(), t);
    }

    boolean isClosed() {
        return closed;
    }

    /** Runs {@code task} on the timer thread after {@code delayNanos}; nothing once the network is closed. */
    void schedule(Runnable task, long delayNanos) {
        ScheduledExecutorService s = timers();
        if (s == null) {
            return;
        }
        try {
            s.schedule(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            LOG.warn("a delayed delivery failed", e);
                        }
                    },
                    Math.max(0, delayNanos),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // the network closed meanwhile: nothing more is delivered
        }
    }

    private void after(long delayNanos, Runnable task) {
        if (delayNanos <= 0) {
            task.run();
        } else {
            schedule(task, delayNanos);
        }
    }

    /** True when {@code node} is paused and the item was held (or dropped, its buffer full). */
    private boolean held(Address node, Runnable item, Pause.Kind kind) {
        if (pauses.isEmpty()) {
            return false;
        }
        Pause p = pauses.get(node);
        if (p == null) {
            return false;
        }
        switch (p.offer(item, kind)) {
            case HELD -> {
                if (kind != Pause.Kind.EXCHANGE) {
                    stats.packetsHeld.increment();
                }
                return true;
            }
            case DROPPED -> {
                stats.packetsDroppedWhilePaused.increment();
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void resumeWhenDue(Address node, Pause p) {
        long left = p.untilNanos() - System.nanoTime();
        if (left > 0) {
            schedule(() -> resumeWhenDue(node, p), left);
        } else if (p.flushIfDue(System.nanoTime())) {
            pauses.remove(node, p);
        }
    }

    private synchronized ScheduledExecutorService timers() {
        if (closed) {
            return null;
        }
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "memory-network");
                t.setDaemon(true);
                return t;
            });
        }
        return scheduler;
    }

    @Override
    public void close() {
        closed = true;
        nodes.values().forEach(MemoryTransport::close);
        pauses.values().forEach(Pause::discard);
        pauses.clear();
        synchronized (this) {
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }
    }

    private static double probability(double p, String what) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must be within [0, 1], was " + p);
        }
        return p;
    }

    private static long notNegative(Duration d, String what) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        return d.toNanos();
    }

    private record Link(Address from, Address to) {}
}
