package io.murmur.transport;

import java.util.concurrent.atomic.LongAdder;

/** Traffic counters of one transport, safe to read from any thread. */
public final class TransportStats {
    public final LongAdder packetsSent = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder packetsReceived = new LongAdder();
    public final LongAdder bytesReceived = new LongAdder();
    /** Packets dropped on the way out: not connected, back-pressured, too large, or closed. */
    public final LongAdder packetsDroppedOut = new LongAdder();
    /** Inbound frames that the transport itself could not parse (bad envelope). */
    public final LongAdder packetsDroppedIn = new LongAdder();

    public final LongAdder requestsSent = new LongAdder();
    public final LongAdder requestsReceived = new LongAdder();
    public final LongAdder requestsFailed = new LongAdder();

    public void sent(int bytes) {
        packetsSent.increment();
        bytesSent.add(bytes);
    }

    public void received(int bytes) {
        packetsReceived.increment();
        bytesReceived.add(bytes);
    }
}
