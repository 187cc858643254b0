package io.murmur.transport.aeron;

import io.murmur.protocol.Address;

/**
 * The Aeron channel URIs and stream ids of the transport. Both paths share one UDP endpoint per node:
 *
 * <ul>
 *   <li>stream {@value #PACKET_STREAM_ID}, the packet path, subscribed with {@code reliable=false}: the receiver
 *       gap-fills instead of asking for retransmission, so a lost datagram stays lost, as SWIM expects;
 *   <li>stream {@value #RELIABLE_STREAM_ID}, the reliable path, subscribed with {@code reliable=true} (NAK-based
 *       retransmission, flow control), carrying request and response chunks.
 * </ul>
 *
 * The second subscription joins the first one's endpoint through a channel tag, which also works when the first one
 * asked for port 0.
 */
final class Channels {

    /** Stream of the packet path. */
    static final int PACKET_STREAM_ID = 10;

    /** Stream of the reliable (request/response) path. */
    static final int RELIABLE_STREAM_ID = 11;

    private Channels() {}

    /** The packet-path subscription of a node bound at {@code address}, tagged so the reliable one can share it. */
    static String packetSubscription(Address address, long tag) {
        return "aeron:udp?endpoint=" + address + "|reliable=false|tags=" + tag;
    }

    /** The reliable-path subscription, on the endpoint of the packet subscription tagged {@code tag}. */
    static String reliableSubscription(long tag) {
        return "aeron:udp?tags=" + tag + "|reliable=true";
    }

    /** The publication towards {@code destination}, for either stream. */
    static String publication(Address destination, AeronSettings settings) {
        return "aeron:udp?endpoint=" + destination + "|mtu=" + settings.mtu() + "|term-length=" + settings.termLength();
    }

    /**
     * Whether {@code host} may be put in a channel URI: an IPv4 or IPv6 literal (with an optional zone) or a DNS name.
     * Anything else, in particular {@code |}, {@code ?} or {@code =}, would change the URI's meaning.
     */
    static boolean isPlainHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '-'
                    || c == '_'
                    || c == ':'
                    || c == '%';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
