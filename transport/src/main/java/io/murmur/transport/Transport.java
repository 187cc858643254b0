package io.murmur.transport;

import io.murmur.protocol.Address;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * How a node's bytes reach other nodes. Two paths, as memberlist's UDP + TCP:
 *
 * <ul>
 *   <li>the <b>packet path</b>: best-effort datagrams of at most {@link #maxPacketBytes()} bytes, which may be lost,
 *       duplicated or reordered, and whose loss must look like loss (no hidden retransmission), because SWIM's
 *       failure detection depends on it;
 *   <li>the <b>reliable path</b>: request/response exchanges of up to {@link #maxStreamBytes()} bytes each way, for
 *       bulk state (push/pull) and other messages that must not be lost.
 * </ul>
 *
 * <p>Implementations never block the caller and never throw on a failed send: a packet that cannot leave is dropped
 * and counted, a request that cannot complete fails its stage. Inbound traffic goes to the {@link Listener} given to
 * {@link #start}; it is called on the transport's own threads and must not block.
 */
public interface Transport extends AutoCloseable {

    /** The address other nodes use to reach this transport. */
    Address localAddress();

    /** Largest packet {@link #send} accepts. */
    int maxPacketBytes();

    /** Largest request or response the reliable path carries. */
    int maxStreamBytes();

    /** Starts delivering inbound packets and requests to {@code listener}. Called once. */
    void start(Listener listener);

    /**
     * Sends one packet, best-effort. Returns false when the packet was dropped before it left this process (not
     * connected yet and the hold buffer full, back-pressure, closed); true means it was handed to the network, not that
     * it will arrive.
     */
    boolean send(Address to, byte[] packet);

    /**
     * Sends {@code request} on the reliable path and completes with the peer's response, or exceptionally on timeout,
     * an unreachable peer, or a response over the size limit.
     */
    CompletionStage<byte[]> request(Address to, byte[] request, Duration timeout);

    /** Counters of what went in and out. */
    TransportStats stats();

    /** Stops receiving and releases the transport's resources. Idempotent. */
    @Override
    void close();

    /** Receives what arrives. Both methods are called on transport threads and must return quickly. */
    interface Listener {

        /**
         * A packet arrived. {@code from} is the sending node's address as the transport knows it; the array is owned
         * by the listener.
         */
        void onPacket(Address from, byte[] packet);

        /**
         * A reliable-path request arrived; the returned stage completes with the response to send back. A stage that
         * fails sends no response (the requester times out).
         */
        CompletionStage<byte[]> onRequest(Address from, byte[] request);
    }
}
