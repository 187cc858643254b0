package io.murmur.transport.aeron;

import io.murmur.protocol.Address;
import io.murmur.transport.TransportStats;
import org.agrona.concurrent.UnsafeBuffer;

/** One local node as a source of frames: its envelope prefixes and the counters its traffic is charged to. */
final class Sender {
    final Address address;
    /** Read-only once built; offered concurrently from several threads. */
    final UnsafeBuffer packetPrefix;

    final byte[] requestPrefix;
    final byte[] responsePrefix;
    final byte[] refusedPrefix;
    final TransportStats stats;
    final AeronStats aeronStats;

    Sender(Address address, TransportStats stats, AeronStats aeronStats) {
        this.address = address;
        this.packetPrefix = new UnsafeBuffer(Envelope.prefix(Envelope.Kind.PACKET, address));
        this.requestPrefix = Envelope.prefix(Envelope.Kind.REQUEST, address);
        this.responsePrefix = Envelope.prefix(Envelope.Kind.RESPONSE, address);
        this.refusedPrefix = Envelope.prefix(Envelope.Kind.REFUSED, address);
        this.stats = stats;
        this.aeronStats = aeronStats;
    }
}
