package io.murmur.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The source networks a node accepts traffic from (memberlist's {@code CIDRsAllowed}), IPv4 and IPv6.
 *
 * <p><b>An empty list allows everyone.</b> memberlist's documentation says an empty list blocks all connections, but
 * its code checks addresses only when the list is non-empty, so every memberlist and Consul deployment in the field
 * relies on "empty = no restriction". We follow the code: a node nobody configured must not silently refuse the
 * whole cluster, and "block everyone" is never a useful setting for a gossip member. To restrict, list networks.
 *
 * <p>Entries are {@code address/prefix} ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address means that one host
 * ({@code /32} or {@code /128}). Host bits below the prefix are ignored, as {@code net.ParseCIDR} masks them. An IPv4
 * rule also matches an IPv4-mapped IPv6 source ({@code ::ffff:10.0.0.1}). A source that is not an IP literal (a host
 * name) is never allowed by a non-empty list: names are not resolved on the receive path.
 *
 * <p>Immutable and thread-safe. Parse errors are {@link IllegalArgumentException}s naming the entry, at configuration
 * time; {@link #allows} never throws.
 */
public final class CidrAllowList {

    /** No restriction. */
    public static final CidrAllowList ALLOW_ALL = new CidrAllowList(List.of(), List.of());

    private record Rule(byte[] network, int prefix) {
        boolean matches(byte[] ip) {
            if (ip.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (ip[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (ip[full] & mask) == (network[full] & mask);
        }
    }

    private final List<String> cidrs;
    private final List<Rule> rules;

    private CidrAllowList(List<String> cidrs, List<Rule> rules) {
        this.cidrs = cidrs;
        this.rules = rules;
    }

    /**
     * Parses {@code cidrs}; an empty list is {@link #ALLOW_ALL}.
     *
     * @throws IllegalArgumentException naming the first entry that is not an IPv4 or IPv6 CIDR
     */
    public static CidrAllowList parse(List<String> cidrs) {
        Objects.requireNonNull(cidrs, "cidrs");
        if (cidrs.isEmpty()) {
            return ALLOW_ALL;
        }
        List<Rule> rules = new ArrayList<>(cidrs.size());
        for (String cidr : cidrs) {
            rules.add(parseRule(Objects.requireNonNull(cidr, "a CIDR entry is null")));
        }
        return new CidrAllowList(List.copyOf(cidrs), List.copyOf(rules));
    }

    public static CidrAllowList of(String... cidrs) {
        return parse(List.of(cidrs));
    }

    /** Whether this list restricts anything (false for the empty list). */
    public boolean isRestricted() {
        return !rules.isEmpty();
    }

    /** The entries as configured. */
    public List<String> cidrs() {
        return cidrs;
    }

    /** Whether traffic from {@code host} (an IP literal as the transport reports it) is accepted. */
    public boolean allows(String host) {
        if (rules.isEmpty()) {
            return true;
        }
        byte[] ip = ipLiteral(host);
        if (ip == null) {
            return false;
        }
        for (Rule r : rules) {
            if (r.matches(ip)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "CidrAllowList[everyone]" : "CidrAllowList" + cidrs;
    }

    private static Rule parseRule(String cidr) {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        byte[] ip = ipLiteral(host);
        if (ip == null) {
            throw new IllegalArgumentException("allowed-cidrs: '" + cidr + "' is not an IPv4 or IPv6 CIDR"
                    + " (expected for example 10.0.0.0/8 or fd00::/8)");
        }
        int max = ip.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("allowed-cidrs: '" + cidr + "' has a bad prefix length");
            }
            prefix = Integer.parseInt(bits);
            if (prefix > max) {
                throw new IllegalArgumentException(
                        "allowed-cidrs: '" + cidr + "' has a prefix longer than " + max + " bits");
            }
        }
        return new Rule(ip, prefix);
    }

    /** The address bytes of an IPv4 or IPv6 literal (4 bytes for a mapped IPv4 one), or null; never resolves names. */
    static byte[] ipLiteral(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        if (host.indexOf(':') < 0) {
            return ipv4(host);
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Only hex digits, colons and dots: InetAddress then parses a literal and never asks DNS.
        if (h.isEmpty() || !h.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            // An IPv4-mapped IPv6 literal comes back as an Inet4Address: 4 bytes, matched by IPv4 rules.
            return InetAddress.getByName(h).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static byte[] ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }
}
