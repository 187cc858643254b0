package io.murmur.transport.aeron;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link AeronTransport} beyond the SPI's {@link io.murmur.transport.TransportStats}, safe to read
 * from any thread. Each names one reason something was held, refused or thrown away.
 */
public final class AeronStats {
    /** Packets that waited for their publication to connect (each is later sent or counted as dropped out). */
    public final LongAdder packetsHeld = new LongAdder();
    /** Held packets dropped because they waited longer than the hold bound (also in packetsDroppedOut). */
    public final LongAdder packetsExpiredInHold = new LongAdder();
    /** Offers that found the publication back-pressured or in an admin action and were retried. */
    public final LongAdder offerRetries = new LongAdder();
    /** Inbound requests refused because the node already had its maximum of requests in progress. */
    public final LongAdder requestsRefused = new LongAdder();
    /** Inbound reliable-path messages thrown away: over the reassembly budget, out of order, or stale. */
    public final LongAdder messagesDiscarded = new LongAdder();
    /** Responses that arrived for no pending request (late, after a timeout, or forged). */
    public final LongAdder responsesUnmatched = new LongAdder();
    /** Responses this node could not send: too large, unreachable requester, or the listener failed. */
    public final LongAdder responsesNotSent = new LongAdder();
    /** Packets dropped because their destination would have needed a route beyond {@code maxRoutes}. */
    public final LongAdder routesRefused = new LongAdder();
    /** Exceptions thrown by the listener (caught; they never reach the poller). */
    public final LongAdder listenerErrors = new LongAdder();
}
