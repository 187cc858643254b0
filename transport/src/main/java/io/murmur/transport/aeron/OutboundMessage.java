package io.murmur.transport.aeron;

import io.aeron.Publication;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One reliable-path message on its way out, cut into chunks that each fit one Aeron message. Owned by the poller once
 * queued.
 */
final class OutboundMessage {

    private final byte[] prefix;
    private final long correlationId;
    private final byte[] payload;
    private final UnsafeBuffer payloadBuffer;
    private final long deadlineNanos;
    private final BooleanSupplier cancelled;
    private final Consumer<String> onDropped;
    private int sent;
    private boolean begun;

    /**
     * @param prefix the sender's envelope prefix for the message's kind
     * @param deadlineNanos when the message is dropped if not fully sent ({@link Long#MAX_VALUE}: never)
     * @param cancelled true once nobody wants the message any more (e.g. its request timed out)
     * @param onDropped told why, when the transport gives the message up
     */
    OutboundMessage(
            byte[] prefix,
            long correlationId,
            byte[] payload,
            long deadlineNanos,
            BooleanSupplier cancelled,
            Consumer<String> onDropped) {
        this.prefix = prefix;
        this.correlationId = correlationId;
        this.payload = payload;
        this.payloadBuffer = new UnsafeBuffer(payload);
        this.deadlineNanos = deadlineNanos;
        this.cancelled = cancelled;
        this.onDropped = onDropped;
    }

    int size() {
        return payload.length;
    }

    boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    boolean isPastDeadline(long nowNanos) {
        return deadlineNanos != Long.MAX_VALUE && nowNanos - deadlineNanos > 0;
    }

    void drop(String reason) {
        onDropped.accept(reason);
    }

    /** Every chunk has been handed to the publication. */
    boolean isDone() {
        return begun && sent == payload.length;
    }

    /**
     * Offers the next chunk. {@code scratch} must hold the largest header; {@code maxMessageLength} is the
     * publication's. Returns Aeron's offer result.
     */
    long offerNextChunk(Publication publication, MutableDirectBuffer scratch, int maxMessageLength) {
        scratch.putBytes(0, prefix);
        int headerLength = Envelope.putChunkFields(scratch, prefix.length, correlationId, payload.length, sent);
        int length = Math.min(payload.length - sent, maxMessageLength - headerLength);
        long result = publication.offer(scratch, 0, headerLength, payloadBuffer, sent, length);
        if (result > 0) {
            begun = true;
            sent += length;
        }
        return result;
    }
}
