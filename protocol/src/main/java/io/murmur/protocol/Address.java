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
        if (!Utf8.isWellFormed(host)) {
            throw new IllegalArgumentException("host has an unpaired surrogate");
        }
        if (Utf8.length(host) > MAX_HOST_BYTES) {
            throw new IllegalArgumentException("host longer than " + MAX_HOST_BYTES + " bytes");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses {@code host:port} or {@code [host]:port}; an IPv6 literal must be in brackets, the port is ASCII
     * digits.
     */
    public static Address parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("expected [host]:port, got '" + text + "'");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.indexOf(':');
            if (colon < 0 || colon != text.lastIndexOf(':')) {
                throw new IllegalArgumentException("expected host:port or [v6-literal]:port, got '" + text + "'");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw new IllegalArgumentException("stray bracket in '" + text + "'");
        }
        if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        try {
            return new Address(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
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
