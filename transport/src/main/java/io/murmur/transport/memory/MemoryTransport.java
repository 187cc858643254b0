package io.murmur.transport.memory;

import io.murmur.protocol.Address;
import io.murmur.transport.Transport;
import io.murmur.transport.TransportStats;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
        if (this.listener != null) {
            throw new IllegalStateException("already started");
        }
        this.listener = listener;
    }

    @Override
    public boolean send(Address to, byte[] packet) {
        if (closed || packet.length > MAX_PACKET_BYTES) {
            stats.packetsDroppedOut.increment();
            return false;
        }
        stats.sent(packet.length);
        if (!network.passes(address, to) || network.lost()) {
            return true; // lost in the network, as UDP would lose it
        }
        byte[] copy = packet.clone();
        network.deliver(() -> {
            MemoryTransport peer = network.lookup(to);
            if (peer != null) {
                peer.receive(address, copy);
            }
        });
        return true;
    }

    private void receive(Address from, byte[] packet) {
        Listener l = listener;
        if (closed || l == null) {
            return;
        }
        stats.received(packet.length);
        l.onPacket(from, packet);
    }

    @Override
    public CompletionStage<byte[]> request(Address to, byte[] request, Duration timeout) {
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("transport closed"));
        }
        if (request.length > MAX_STREAM_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request too large"));
        }
        stats.requestsSent.increment();
        byte[] copy = request.clone();
        network.deliver(() -> {
            MemoryTransport peer = network.lookup(to);
            if (peer == null || !network.passes(address, to) || !network.passes(to, address)) {
                return; // unreachable: the requester times out, as a connect attempt would
            }
            peer.serve(address, copy).whenComplete((bytes, error) -> {
                if (error == null && bytes != null && network.passes(to, address)) {
                    network.deliver(() -> response.complete(bytes.clone()));
                }
            });
        });
        network.timers()
                .schedule(
                        () -> {
                            if (response.completeExceptionally(
                                    new TimeoutException("no response from " + to + " within " + timeout))) {
                                stats.requestsFailed.increment();
                            }
                        },
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
        return response;
    }

    private CompletionStage<byte[]> serve(Address from, byte[] request) {
        Listener l = listener;
        if (closed || l == null) {
            return new CompletableFuture<>();
        }
        stats.requestsReceived.increment();
        return l.onRequest(from, request);
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
