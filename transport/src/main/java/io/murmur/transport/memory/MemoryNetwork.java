package io.murmur.transport.memory;

import io.murmur.protocol.Address;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An in-process network for tests: transports that deliver to each other through method calls, with faults a test
 * can switch on and off at any time: one-way link cuts, partitions, random packet loss and a fixed latency.
 *
 * <p>Loss and cuts apply to the packet path. The reliable path fails (times out) across a cut or partition, as a TCP
 * connection would, but is never subject to random loss.
 */
public final class MemoryNetwork implements AutoCloseable {

    private final Map<Address, MemoryTransport> nodes = new ConcurrentHashMap<>();
    private final Set<Link> cut = ConcurrentHashMap.newKeySet();
    private final Random random;
    private volatile double loss;
    private volatile long latencyNanos;
    private volatile ScheduledExecutorService scheduler;

    public MemoryNetwork(long seed) {
        this.random = new Random(seed);
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

    /** Drops each packet with probability {@code p}. */
    public void loss(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("loss must be within [0, 1]");
        }
        this.loss = p;
    }

    /** Delays every delivery (both paths) by {@code latency}. Zero delivers on the sender's thread. */
    public void latency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("negative latency");
        }
        timers();
        this.latencyNanos = latency.toNanos();
    }

    boolean passes(Address from, Address to) {
        return !cut.contains(new Link(from, to));
    }

    boolean lost() {
        double p = loss;
        return p > 0 && random.nextDouble() < p;
    }

    MemoryTransport lookup(Address address) {
        return nodes.get(address);
    }

    void unbind(MemoryTransport t) {
        nodes.remove(t.localAddress(), t);
    }

    void deliver(Runnable delivery) {
        long delay = latencyNanos;
        if (delay <= 0) {
            delivery.run();
        } else {
            timers().schedule(delivery, delay, TimeUnit.NANOSECONDS);
        }
    }

    synchronized ScheduledExecutorService timers() {
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
    public synchronized void close() {
        nodes.values().forEach(MemoryTransport::close);
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private record Link(Address from, Address to) {}
}
