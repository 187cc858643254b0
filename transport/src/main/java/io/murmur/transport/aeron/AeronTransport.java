package io.murmur.transport.aeron;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.murmur.protocol.Address;
import io.murmur.transport.Transport;
import io.murmur.transport.TransportStats;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.agrona.CloseHelper;

/**
 * A node's {@link Transport} over Aeron UDP. The node listens on one UDP endpoint with two subscriptions (see
 * {@link Channels}): the packet path, unreliable so that loss stays loss, and the reliable path for request/response
 * exchanges, which are cut into chunks of at most one Aeron message and put back together on arrival.
 *
 * <p>Outbound traffic goes through publications shared by every node of the JVM, one per destination and stream, so
 * every frame names its sending node in a small envelope. A packet for a destination whose publication is not
 * connected yet is held (at most {@link AeronSettings#holdMaxPackets()} packets for at most
 * {@link AeronSettings#holdMaxAge()}) and sent once it connects: the first packet to a new peer is not lost to the
 * connection handshake.
 *
 * <p>{@link #send} and {@link #request} never block; inbound packets and requests reach the listener on the media's
 * poller thread, shared by all nodes of the JVM, so listeners must return quickly.
 */
public final class AeronTransport implements Transport {

    /** Largest request or response on the reliable path, as the SPI allows. */
    public static final int MAX_STREAM_BYTES = 20 * 1024 * 1024;

    private static final long BIND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final AeronMedia media;
    private final EmbeddedMedia embedded;
    private final Address address;
    private final Sender sender;
    private final TransportStats stats = new TransportStats();
    private final AeronStats aeronStats = new AeronStats();
    private final PendingRequests pending = new PendingRequests();
    private final Subscription packets;
    private final Subscription reliable;
    private final int maxPacketBytes;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile NodeReceiver receiver;

    private AeronTransport(
            AeronMedia media, EmbeddedMedia embedded, Address address, Subscription packets, Subscription reliable) {
        this.media = media;
        this.embedded = embedded;
        this.address = address;
        this.packets = packets;
        this.reliable = reliable;
        this.sender = new Sender(address, stats, aeronStats);
        this.maxPacketBytes = embedded.settings.maxMessageLength() - sender.packetPrefix.capacity();
    }

    /**
     * Binds a transport at {@code address} on the JVM's media. Port 0 binds an ephemeral port, which
     * {@link #localAddress()} then reports. The transport takes a reference of its own to the media, released by
     * {@link #close()}.
     *
     * @throws UncheckedIOException wrapping a {@link BindException} when the endpoint cannot be bound
     * @throws IllegalArgumentException when the host cannot be used in an Aeron channel
     */
    public static AeronTransport bind(AeronMedia media, Address address) {
        Objects.requireNonNull(address, "address");
        if (!Channels.isPlainHost(address.host())) {
            throw new IllegalArgumentException("not an IP literal or DNS name: " + address.host());
        }
        AeronMedia own = media.share();
        EmbeddedMedia embedded = own.media();
        Aeron aeron = embedded.aeron;
        Subscription packets = null;
        Subscription reliable = null;
        AeronTransport[] bound = new AeronTransport[1];
        try {
            long tag = aeron.nextCorrelationId();
            packets = aeron.addSubscription(
                    Channels.packetSubscription(address, tag),
                    Channels.PACKET_STREAM_ID,
                    null,
                    image -> imageGone(bound, image));
            Address local = new Address(address.host(), resolvedPort(packets, address));
            reliable = aeron.addSubscription(
                    Channels.reliableSubscription(tag),
                    Channels.RELIABLE_STREAM_ID,
                    null,
                    image -> imageGone(bound, image));
            bound[0] = new AeronTransport(own, embedded, local, packets, reliable);
            return bound[0];
        } catch (AeronException | IllegalStateException e) {
            CloseHelper.quietCloseAll(reliable, packets);
            own.release();
            throw new UncheckedIOException(new BindException("cannot bind " + address + ": " + e.getMessage()));
        }
    }

    private static int resolvedPort(Subscription subscription, Address requested) {
        if (requested.port() != 0) {
            return requested.port();
        }
        long deadline = System.nanoTime() + BIND_TIMEOUT_NANOS;
        String endpoint;
        while ((endpoint = subscription.resolvedEndpoint()) == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the driver reported no port for " + requested);
            }
            LockSupport.parkNanos(100_000);
        }
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static void imageGone(AeronTransport[] bound, Image image) {
        AeronTransport t = bound[0];
        NodeReceiver r = t == null ? null : t.receiver;
        if (r != null) {
            int stream = image.subscription().streamId();
            int session = image.sessionId();
            t.embedded.poller.execute(() -> r.imageGone(stream, session));
        }
    }

    @Override
    public Address localAddress() {
        return address;
    }

    /** Largest packet: one Aeron message (an eighth of a term) less this node's envelope. */
    @Override
    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    @Override
    public int maxStreamBytes() {
        return MAX_STREAM_BYTES;
    }

    @Override
    public void start(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new IllegalStateException("transport closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        NodeReceiver r =
                new NodeReceiver(sender, listener, embedded.routes, pending, packets, reliable, MAX_STREAM_BYTES);
        receiver = r;
        embedded.poller.execute(() -> embedded.poller.addReceiver(r));
    }

    @Override
    public boolean send(Address to, byte[] packet) {
        if (closed.get() || packet.length > maxPacketBytes || !Channels.isPlainHost(to.host())) {
            stats.packetsDroppedOut.increment();
            return false;
        }
        return embedded.routes.send(sender, to, packet);
    }

    @Override
    public CompletionStage<byte[]> request(Address to, byte[] request, Duration timeout) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("transport closed"));
        }
        if (request.length > MAX_STREAM_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request too large"));
        }
        if (!Channels.isPlainHost(to.host())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad host: " + to.host()));
        }
        stats.requestsSent.increment();
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        response.whenComplete((bytes, error) -> {
            if (error != null) {
                stats.requestsFailed.increment();
            }
        });
        long id = pending.add(response);
        response.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        OutboundMessage m = new OutboundMessage(
                sender.requestPrefix,
                id,
                request.clone(),
                Long.MAX_VALUE,
                response::isDone,
                reason -> response.completeExceptionally(new ConnectException(reason)));
        if (!embedded.routes.enqueue(to, m)) {
            response.completeExceptionally(new IllegalStateException("outbound budget exhausted or media closed"));
        }
        return response;
    }

    @Override
    public TransportStats stats() {
        return stats;
    }

    /** Aeron-specific counters: holds, refusals, discards. */
    public AeronStats aeronStats() {
        return aeronStats;
    }

    /** The transport's own reference to its media (released by {@link #close()}). */
    AeronMedia media() {
        return media;
    }

    /** The packet-path subscription, for tests that look at its images. */
    Subscription packetSubscription() {
        return packets;
    }

    /** Aeron fragments received on the packet stream, for tests that check packets travel unfragmented. */
    long packetFragments() {
        NodeReceiver r = receiver;
        return r == null ? 0 : r.packetFragments();
    }

    /** Requests sent and not yet answered, failed or timed out. */
    public int pendingRequests() {
        return pending.size();
    }

    /**
     * Stops receiving, fails pending requests, closes the subscriptions and releases the transport's media reference.
     * Packets already handed to shared publications still go out. Idempotent; may be called from a listener.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pending.failAll(new IllegalStateException("transport closed"));
        NodeReceiver r = receiver;
        MediaPoller poller = embedded.poller;
        if (poller.isPollerThread()) {
            // Called from a listener: finish after the current poll, and let another thread release the media,
            // since stopping the media stops this very thread.
            poller.execute(() -> {
                if (r != null) {
                    poller.removeReceiver(r);
                }
                CloseHelper.quietCloseAll(reliable, packets);
                ForkJoinPool.commonPool().execute(media::release);
            });
            return;
        }
        if (r != null) {
            poller.executeAndWait(() -> poller.removeReceiver(r), BIND_TIMEOUT_NANOS);
        }
        CloseHelper.quietCloseAll(reliable, packets);
        media.release();
    }

    @Override
    public String toString() {
        return "AeronTransport[" + address + "]";
    }
}
