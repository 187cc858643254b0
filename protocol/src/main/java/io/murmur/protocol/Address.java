package io.murmur.protocol;

import java.util.Objects;

/**
 * Where a node listens: a host (an IP literal or a name) and a port. The same address carries both the packet path
 * and the reliable path, as memberlist's single bind port does.
 */
public record Address(String host, int port) implements Comparable<Address> {

    /** Longest host accepted, in UTF-8 bytes (a DNS name is at most 253). */
    public static final int MAX_HOST_BYTES = 255;

    public Address {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (Utf8.length(host) > MAX_HOST_BYTES) {
            throw new IllegalArgumentException("host longer than " + MAX_HOST_BYTES + " bytes");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code host:port} or {@code [v6-literal]:port}. */
    public static Address parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        return new Address(host, port);
    }

    @Override
    public int compareTo(Address o) {
        int c = host.compareTo(o.host);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
