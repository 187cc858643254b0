package io.murmur.agent.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Serf's {@code -iface}: the gossip bind host taken from a network interface. With a wildcard bind host the node binds
 * the interface's first IPv4 address (link-local ones skipped, as Serf skips self-assigned addresses); with a
 * specific bind host, that host must be one of the interface's addresses (Serf's rule), so the two flags never
 * disagree silently.
 */
public final class InterfaceAddress {

    /** A network interface's addresses by name; empty when there is no interface of that name. */
    public interface Lookup {
        Optional<List<InetAddress>> addresses(String name) throws SocketException;
    }

    /** The machine's interfaces. */
    public static final Lookup SYSTEM = name -> {
        NetworkInterface nif = NetworkInterface.getByName(name);
        return nif == null ? Optional.empty() : Optional.of(Collections.list(nif.getInetAddresses()));
    };

    private InterfaceAddress() {}

    /**
     * The host to bind on interface {@code iface}, given the {@code -bind} host.
     *
     * @throws IllegalArgumentException with a message for the user: no such interface, no address, no IPv4 address,
     *     or a bind host that is not the interface's
     */
    public static String bindHost(String iface, String bindHost, Lookup lookup) {
        List<InetAddress> addresses = addressesOf(iface, lookup);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("network interface '" + iface + "' has no address");
        }
        if (isWildcard(bindHost)) {
            return addresses.stream()
                    .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
                    .findFirst()
                    .map(InetAddress::getHostAddress)
                    .orElseThrow(() -> new IllegalArgumentException("network interface '" + iface
                            + "' has no IPv4 address (it has " + describe(addresses) + ")"));
        }
        InetAddress wanted;
        try {
            wanted = InetAddress.getByName(bindHost);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("-bind host " + bindHost + " does not resolve");
        }
        if (!addresses.contains(wanted)) {
            throw new IllegalArgumentException("network interface '" + iface + "' has no address " + bindHost
                    + " (the -bind host; it has " + describe(addresses)
                    + "): bind 0.0.0.0 to take the interface's first IPv4 address");
        }
        return bindHost;
    }

    /** The addresses of interface {@code iface}; a message for the user if there is no such interface. */
    private static List<InetAddress> addressesOf(String iface, Lookup lookup) {
        try {
            return lookup.addresses(iface)
                    .orElseThrow(() -> new IllegalArgumentException("no network interface named '" + iface + "'"));
        } catch (SocketException e) {
            throw new IllegalArgumentException("cannot read network interface '" + iface + "': " + e.getMessage());
        }
    }

    /**
     * The addresses mDNS runs on: the first IPv4 and the first IPv6 address of {@code iface}, each unless its family
     * is left out.
     *
     * @throws IllegalArgumentException for an unknown interface, or one without an address of a family left in
     */
    public static List<InetAddress> onePerFamily(String iface, boolean ipv4, boolean ipv6, Lookup lookup) {
        List<InetAddress> addresses = addressesOf(iface, lookup);
        List<InetAddress> chosen = new java.util.ArrayList<>();
        addresses.stream()
                .filter(a -> ipv4 && a instanceof Inet4Address)
                .findFirst()
                .ifPresent(chosen::add);
        addresses.stream()
                .filter(a -> ipv6 && a instanceof java.net.Inet6Address)
                .findFirst()
                .ifPresent(chosen::add);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("network interface '" + iface + "' has no "
                    + (ipv4 && ipv6 ? "IPv4 or IPv6" : ipv4 ? "IPv4" : "IPv6") + " address");
        }
        return chosen;
    }

    /** The name of the local interface that has {@code host}; empty when none has it. */
    public static Optional<String> interfaceWith(String host) {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(InetAddress.getByName(host));
            return nif == null ? Optional.empty() : Optional.of(nif.getName());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String describe(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).toList().toString();
    }
}
