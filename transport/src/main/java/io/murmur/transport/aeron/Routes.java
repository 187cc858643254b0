package io.murmur.transport.aeron;

import io.aeron.Aeron;
import io.murmur.protocol.Address;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.agrona.concurrent.NanoClock;

/**
 * Every route of the media: one per destination endpoint and stream, shared by all nodes of the JVM. Looks routes up
 * (creating them on first use), closes idle ones, and keeps the budget of bytes queued on the reliable path.
 */
final class Routes {

    final Aeron aeron;
    final AeronSettings settings;
    final NanoClock clock;
    private final Consumer<Route> scheduler;
    private final ConcurrentHashMap<Address, PacketRoute> packetRoutes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Address, StreamRoute> streamRoutes = new ConcurrentHashMap<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile boolean shutdown;

    Routes(Aeron aeron, AeronSettings settings, NanoClock clock, Consumer<Route> scheduler) {
        this.aeron = aeron;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Any thread: sends or holds one packet; false when it was dropped. */
    boolean send(Sender sender, Address to, byte[] payload) {
        while (!shutdown) {
            long now = clock.nanoTime();
            if (!packetRoutes.containsKey(to) && packetRoutes.size() >= settings.maxRoutes()) {
                sender.stats.packetsDroppedOut.increment();
                sender.aeronStats.routesRefused.increment();
                return false;
            }
            PacketRoute route = packetRoutes.computeIfAbsent(to, a -> new PacketRoute(this, a, now));
            switch (route.send(sender, payload, now)) {
                case SENT, HELD:
                    return true;
                case DROPPED:
                    return false;
                case STALE:
                    packetRoutes.remove(to, route);
                    break;
                default:
                    throw new IllegalStateException();
            }
        }
        sender.stats.packetsDroppedOut.increment();
        return false;
    }

    /**
     * Any thread: queues a reliable-path message to {@code to}. False, without queuing, when the outbound budget is
     * spent or the media is shut down.
     */
    boolean enqueue(Address to, OutboundMessage message) {
        if (queuedBytes.addAndGet(message.size()) > settings.outboundBudgetBytes()) {
            queuedBytes.addAndGet(-message.size());
            return false;
        }
        while (!shutdown) {
            long now = clock.nanoTime();
            if (!streamRoutes.containsKey(to) && streamRoutes.size() >= settings.maxRoutes()) {
                break;
            }
            StreamRoute route = streamRoutes.computeIfAbsent(to, a -> new StreamRoute(this, a, now));
            if (route.enqueue(message, now)) {
                return true;
            }
            streamRoutes.remove(to, route);
        }
        queuedBytes.addAndGet(-message.size());
        return false;
    }

    /** A message left the outbound queues. */
    void release(int bytes) {
        queuedBytes.addAndGet(-bytes);
    }

    /** Bytes now queued on the reliable path. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    void schedule(Route route) {
        scheduler.accept(route);
    }

    /** Poller: closes the routes that carried nothing for the idle timeout. */
    int closeIdle(long nowNanos) {
        long idle = settings.publicationIdleTimeout().toNanos();
        int closed = 0;
        for (PacketRoute r : packetRoutes.values()) {
            if (r.closeIfIdle(nowNanos, idle)) {
                packetRoutes.remove(r.destination, r);
                closed++;
            }
        }
        for (StreamRoute r : streamRoutes.values()) {
            if (r.closeIfIdle(nowNanos, idle)) {
                streamRoutes.remove(r.destination, r);
                closed++;
            }
        }
        return closed;
    }

    /** Routes that hold an open publication now. */
    int openPublications() {
        int n = 0;
        for (Route r : packetRoutes.values()) {
            n += r.hasPublication() ? 1 : 0;
        }
        for (Route r : streamRoutes.values()) {
            n += r.hasPublication() ? 1 : 0;
        }
        return n;
    }

    /** The packet route to {@code to}, if one exists. */
    PacketRoute packetRoute(Address to) {
        return packetRoutes.get(to);
    }

    /** The reliable route to {@code to}, if one exists. */
    StreamRoute streamRoute(Address to) {
        return streamRoutes.get(to);
    }

    /** Closes every route; later sends are dropped. */
    void shutdown() {
        shutdown = true;
        packetRoutes.values().forEach(Route::shutdown);
        streamRoutes.values().forEach(Route::shutdown);
        packetRoutes.clear();
        streamRoutes.clear();
    }
}
