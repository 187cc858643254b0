package io.murmur.transport.aeron;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.murmur.protocol.Address;
import io.murmur.transport.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's inbound side, run by the poller: polls the node's two subscriptions, decodes envelopes, delivers packets,
 * reassembles and serves requests, and completes pending requests with their responses. Whatever arrives, nothing
 * here throws to the poller: bad frames are counted drops and listener exceptions are caught.
 */
final class NodeReceiver {

    private static final Logger log = LoggerFactory.getLogger(NodeReceiver.class);
    private static final int FRAGMENT_LIMIT = 64;
    private static final byte[] EMPTY = new byte[0];

    private final Sender self;
    private final Transport.Listener listener;
    private final Routes routes;
    private final PendingRequests pending;
    private final int maxStreamBytes;
    private final int maxInboundRequests;
    private final long responseHoldNanos;
    private final ChunkReassembly reassembly;
    private final AtomicInteger serving = new AtomicInteger();
    private final FragmentAssembler packetAssembler = new FragmentAssembler(this::onPacketFrame);
    private final FragmentHandler countingPacketAssembler = this::onPacketFragment;
    /** Aeron fragments seen on the packet stream; with packets received, tells whether packets were fragmented. */
    private volatile long packetFragments;

    private final FragmentAssembler reliableAssembler = new FragmentAssembler(this::onReliableFrame);
    private final Subscription packets;
    private final Subscription reliable;
    private long nowNanos;

    NodeReceiver(
            Sender self,
            Transport.Listener listener,
            Routes routes,
            PendingRequests pending,
            Subscription packets,
            Subscription reliable,
            int maxStreamBytes) {
        this.self = self;
        this.listener = listener;
        this.routes = routes;
        this.pending = pending;
        this.packets = packets;
        this.reliable = reliable;
        this.maxStreamBytes = maxStreamBytes;
        AeronSettings settings = routes.settings;
        this.maxInboundRequests = settings.maxInboundRequests();
        this.responseHoldNanos = settings.responseHoldTimeout().toNanos();
        this.reassembly = new ChunkReassembly(
                settings.reassemblyBudgetBytes(), settings.reassemblyTimeout().toNanos());
    }

    /** Poller: delivers what arrived. */
    int poll(long nowNanos) {
        this.nowNanos = nowNanos;
        return packets.poll(countingPacketAssembler, FRAGMENT_LIMIT) + reliable.poll(reliableAssembler, FRAGMENT_LIMIT);
    }

    /** Aeron fragments received on the packet stream so far. */
    long packetFragments() {
        return packetFragments;
    }

    /** Poller: discards stale partial messages. */
    void expire(long nowNanos) {
        int n = reassembly.expire(nowNanos);
        if (n > 0) {
            self.aeronStats.messagesDiscarded.add(n);
        }
    }

    /** Poller: an image went away; forget its half-assembled fragments. */
    void imageGone(int streamId, int sessionId) {
        (streamId == Channels.PACKET_STREAM_ID ? packetAssembler : reliableAssembler).freeSessionBuffer(sessionId);
    }

    /** Requests reassembling or being served now. */
    int requestsInProgress() {
        return serving.get() + reassembly.open(Envelope.Kind.REQUEST);
    }

    private void onPacketFragment(DirectBuffer buffer, int offset, int length, Header header) {
        packetFragments = packetFragments + 1; // only the poller writes it
        packetAssembler.onFragment(buffer, offset, length, header);
    }

    private void onPacketFrame(DirectBuffer buffer, int offset, int length, Header header) {
        Envelope.Frame frame = Envelope.decode(buffer, offset, length, maxStreamBytes);
        if (!(frame instanceof Envelope.Packet p)) {
            rejected(frame);
            return;
        }
        byte[] payload = new byte[p.length()];
        buffer.getBytes(p.offset(), payload);
        self.stats.received(payload.length);
        try {
            listener.onPacket(p.from(), payload);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    private void onReliableFrame(DirectBuffer buffer, int offset, int length, Header header) {
        Envelope.Frame frame = Envelope.decode(buffer, offset, length, maxStreamBytes);
        if (!(frame instanceof Envelope.Chunk c)) {
            rejected(frame);
            return;
        }
        switch (c.kind()) {
            case REQUEST -> onRequestChunk(c, buffer);
            case RESPONSE -> onResponseChunk(c, buffer);
            case REFUSED -> onRefused(c);
            default -> rejected(new Envelope.Rejected("packet on the reliable stream"));
        }
    }

    private void onRequestChunk(Envelope.Chunk c, DirectBuffer buffer) {
        ChunkReassembly.Key key = new ChunkReassembly.Key(c.from(), c.kind(), c.correlationId());
        if (c.chunkOffset() == 0 && !reassembly.isOpen(key) && requestsInProgress() >= maxInboundRequests) {
            self.aeronStats.requestsRefused.increment();
            answer(c.from(), self.refusedPrefix, c.correlationId(), EMPTY);
            return;
        }
        ChunkReassembly.Result result = accept(key, c, buffer);
        if (result instanceof ChunkReassembly.Complete complete) {
            serve(c.from(), c.correlationId(), complete.message());
        }
    }

    private void serve(Address from, long correlationId, byte[] request) {
        self.stats.requestsReceived.increment();
        serving.incrementAndGet();
        CompletionStage<byte[]> stage;
        try {
            stage = listener.onRequest(from, request);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
            listenerFailed(e);
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new NullPointerException("listener returned no stage"));
        }
        stage.whenComplete((response, error) -> {
            serving.decrementAndGet();
            if (error != null || response == null || response.length > maxStreamBytes) {
                self.aeronStats.responsesNotSent.increment();
                return;
            }
            answer(from, self.responsePrefix, correlationId, response.clone());
        });
    }

    private void answer(Address to, byte[] prefix, long correlationId, byte[] payload) {
        long deadline = routes.clock.nanoTime() + responseHoldNanos;
        OutboundMessage m = new OutboundMessage(prefix, correlationId, payload, deadline, () -> false, reason -> {
            self.aeronStats.responsesNotSent.increment();
            log.debug("answer to {} not sent: {}", to, reason);
        });
        if (!routes.enqueue(to, m)) {
            self.aeronStats.responsesNotSent.increment();
        }
    }

    private void onResponseChunk(Envelope.Chunk c, DirectBuffer buffer) {
        CompletableFuture<byte[]> response = pending.get(c.correlationId());
        if (response == null) {
            if (c.chunkOffset() == 0) {
                self.aeronStats.responsesUnmatched.increment();
            }
            return;
        }
        ChunkReassembly.Key key = new ChunkReassembly.Key(c.from(), c.kind(), c.correlationId());
        ChunkReassembly.Result result = accept(key, c, buffer);
        if (result instanceof ChunkReassembly.Complete complete) {
            response.complete(complete.message());
        }
    }

    private void onRefused(Envelope.Chunk c) {
        CompletableFuture<byte[]> response = pending.get(c.correlationId());
        if (response == null) {
            self.aeronStats.responsesUnmatched.increment();
            return;
        }
        response.completeExceptionally(
                new RejectedExecutionException(c.from() + " refused the request: too many requests in progress"));
    }

    private ChunkReassembly.Result accept(ChunkReassembly.Key key, Envelope.Chunk c, DirectBuffer buffer) {
        ChunkReassembly.Result result =
                reassembly.accept(key, c.total(), c.chunkOffset(), buffer, c.offset(), c.length(), nowNanos);
        if (result instanceof ChunkReassembly.Discarded d) {
            self.aeronStats.messagesDiscarded.increment();
            log.debug("discarded {} from {}: {}", c.kind(), c.from(), d.reason());
        }
        return result;
    }

    private void rejected(Envelope.Frame frame) {
        self.stats.packetsDroppedIn.increment();
        if (log.isDebugEnabled()) {
            log.debug("{} dropped an inbound frame: {}", self.address, frame);
        }
    }

    private void listenerFailed(RuntimeException e) {
        self.aeronStats.listenerErrors.increment();
        log.warn("listener of {} threw", self.address, e);
    }
}
