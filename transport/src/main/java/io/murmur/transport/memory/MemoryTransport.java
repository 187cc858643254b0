package io.murmur.transport.memory;

import io.murmur.protocol.Address;
import io.murmur.transport.Transport;
import io.murmur.transport.TransportStats;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/** One node's end of a {@link MemoryNetwork}. */
public final class MemoryTransport implements Transport {

    /** The same packet budget as the Aeron transport's datagrams. */
    public static final int MAX_PACKET_BYTES = 64 * 1024;

    public static final int MAX_STREAM_BYTES = 20 * 1024 * 1024;

    private final MemoryNetwork network;
    private final Address address;
    private final TransportStats stats = new TransportStats();
    private volatile Listener listener;
    private volatile boolean closed;
    // What arrived between bind and start, as a socket's receive buffer would hold it.
    private final java.util.ArrayDeque<Runnable> early = new java.util.ArrayDeque<>();

    /** Arrivals held between bind and start; more are dropped. */
    static final int EARLY_CAPACITY = 1024;

    MemoryTransport(MemoryNetwork network, Address address) {
        this.network = network;
        this.address = address;
    }

    @Override
    public Address localAddress() {
        return address;
    }

    @Override
    public int maxPacketBytes() {
        return MAX_PACKET_BYTES;
    }

    @Override
    public int maxStreamBytes() {
        return MAX_STREAM_BYTES;
    }

    @Override
    public void start(Listener listener) {
        synchronized (early) {
            if (this.listener != null) {
                throw new IllegalStateException("already started");
            }
            this.listener = listener;
        }
        Runnable r;
        while ((r = pollEarly()) != null) {
            r.run();
        }
    }

    private Runnable pollEarly() {
        synchronized (early) {
            return early.poll();
        }
    }

    /** True when the arrival must wait for {@link #start} (it is then held, or dropped if the buffer is full). */
    private boolean heldUntilStarted(Runnable arrival) {
        if (listener != null) {
            return false;
        }
        synchronized (early) {
            if (listener != null) {
                return false;
            }
            if (early.size() < EARLY_CAPACITY) {
                early.add(arrival);
            }
            return true;
        }
    }

    @Override
    public boolean send(Address to, byte[] packet) {
        if (closed || packet.length > MAX_PACKET_BYTES) {
            stats.packetsDroppedOut.increment();
            return false;
        }
        stats.sent(packet.length);
        network.sendPacket(address, to, packet.clone());
        return true; // handed to the network, which may lose it as UDP would
    }

    /** A packet the network delivers to this transport. */
    void receive(Address from, byte[] packet) {
        if (closed || heldUntilStarted(() -> receive(from, packet))) {
            return;
        }
        stats.received(packet.length);
        listener.onPacket(from, packet);
    }

    @Override
    public CompletionStage<byte[]> request(Address to, byte[] request, Duration timeout) {
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        if (closed || network.isClosed()) {
            return CompletableFuture.failedFuture(new IllegalStateException("transport closed"));
        }
        if (request.length > MAX_STREAM_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request too large"));
        }
        stats.requestsSent.increment();
        byte[] copy = request.clone();
        network.carry(address, to, copy.length, () -> {
            MemoryTransport peer = network.lookup(to);
            if (peer == null || !network.passes(address, to) || !network.passes(to, address)) {
                return; // unreachable: the requester times out, as a connect attempt would
            }
            peer.serve(address, copy).whenComplete((bytes, error) -> {
                if (error == null && bytes != null && network.passes(to, address)) {
                    byte[] answer = bytes.clone();
                    network.carry(to, address, answer.length, () -> {
                        synchronized (response) {
                            response.complete(answer);
                        }
                    });
                }
            });
        });
        network.schedule(
                () -> {
                    // Counted before the stage fails, so that whoever waits on it sees the count.
                    synchronized (response) {
                        if (!response.isDone()) {
                            stats.requestsFailed.increment();
                            response.completeExceptionally(
                                    new TimeoutException("no response from " + to + " within " + timeout));
                        }
                    }
                },
                timeout.toNanos());
        return response;
    }

    private CompletionStage<byte[]> serve(Address from, byte[] request) {
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        if (closed) {
            return response;
        }
        Runnable arrival = () -> {
            stats.requestsReceived.increment();
            listener.onRequest(from, request).whenComplete((r, e) -> {
                if (e == null) {
                    response.complete(r);
                } else {
                    response.completeExceptionally(e);
                }
            });
        };
        if (!heldUntilStarted(arrival)) {
            arrival.run();
        }
        return response;
    }

    @Override
    public TransportStats stats() {
        return stats;
    }

    @Override
    public void close() {
        closed = true;
        network.unbind(this);
    }
}
