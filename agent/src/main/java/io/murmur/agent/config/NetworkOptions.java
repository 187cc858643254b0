package io.murmur.agent.config;

import io.murmur.agent.discovery.JmdnsMdns;
import io.murmur.agent.discovery.MdnsDiscovery;
import io.murmur.agent.rpc.AgentSerf;
import io.murmur.protocol.Address;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Serf's agent flags for how the node meets the network, as a picocli mixin: the serf protocol version it reports, the
 * interface it binds and the mDNS discovery of its peers. {@link #apply} layers the configuration files under them and checks them.
 */
public final class NetworkOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /** One DNS label with room for Serf's {@code _serf_} prefix. */
    private static final java.util.regex.Pattern DISCOVER_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,50}");

    @Option(
            names = "-protocol",
            defaultValue = "5",
            description = "Serf protocol version to report, 2 to 5 (default 5, as Serf 0.9); the wire is the same.")
    public int protocol;

    @Option(
            names = "-discover",
            description =
                    "Cluster name: find the other agents of it over mDNS (service _serf_NAME._tcp) and join them.")
    public String discover;

    @Option(
            names = "-mdns-iface",
            description = "Network interface mDNS runs on (default: the interface with the advertise address).")
    public String mdnsIface;

    @Option(names = "-mdns-disable-ipv4", description = "mDNS without IPv4.")
    public boolean mdnsDisableIpv4;

    @Option(names = "-mdns-disable-ipv6", description = "mDNS without IPv6.")
    public boolean mdnsDisableIpv6;

    @Option(
            names = "-iface",
            description = "Network interface to bind gossip to: its first IPv4 address, with the -bind port"
                    + " (a -bind host must be one of the interface's addresses).")
    public String iface;

    /**
     * The files' settings where no flag was given on the command line, then the checks.
     *
     * @throws CommandLine.ParameterException for a value out of range (exit code 2)
     */
    public void apply(AgentConfig files, ConfigOptions config) {
        protocol = config.fromFile("-protocol", protocol, files.protocol());
        iface = config.fromFile("-iface", iface, files.networkInterface());
        discover = config.fromFile("-discover", discover, files.discover());
        mdnsIface = config.fromFile("-mdns-iface", mdnsIface, files.mdnsInterface());
        mdnsDisableIpv4 = mdnsDisableIpv4 || Boolean.TRUE.equals(files.mdnsDisableIpv4());
        mdnsDisableIpv6 = mdnsDisableIpv6 || Boolean.TRUE.equals(files.mdnsDisableIpv6());
        if (discover != null && !DISCOVER_NAME.matcher(discover).matches()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "-discover '" + discover + "': a cluster name is 1 to 50 letters, digits, '-' or '_' (it goes"
                            + " into the mDNS service name _serf_NAME._tcp)");
        }
        if (discover != null && mdnsDisableIpv4 && mdnsDisableIpv6) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "-mdns-disable-ipv4 and -mdns-disable-ipv6 together leave mDNS nothing to use");
        }
        if (protocol < AgentSerf.MIN_PROTOCOL || protocol > AgentSerf.MAX_PROTOCOL) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "-protocol must be between " + AgentSerf.MIN_PROTOCOL + " and " + AgentSerf.MAX_PROTOCOL
                            + " (Serf's protocol versions), got " + protocol);
        }
    }

    /**
     * {@code bind} ({@code host:port}, or a host alone for port 7946) with its host taken from {@code -iface}; as it
     * is without {@code -iface}.
     *
     * @throws CommandLine.ParameterException when the interface is unknown, has no usable address, or does not have
     *     the {@code -bind} host
     */
    public String bindOnInterface(String bind, InterfaceAddress.Lookup lookup) {
        if (iface == null) {
            return bind;
        }
        try {
            Address b = bind.indexOf(':') < 0 ? new Address(bind, 7946) : Address.parse(bind);
            String host = InterfaceAddress.bindHost(iface, b.host(), lookup);
            return new Address(host, b.port()).toString();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-iface " + iface + ": " + e.getMessage());
        }
    }

    /**
     * Starts Serf's mDNS discovery ({@code -discover}) for the node {@code node} advertised at {@code advertised};
     * null without {@code -discover}. mDNS runs on {@code -mdns-iface}, else on the interface with the advertise
     * address: on its first IPv4 and first IPv6 address, less the families turned off.
     *
     * @throws CommandLine.ParameterException when that interface is unknown or has no address to use
     * @throws IOException when mDNS cannot start on it
     */
    public MdnsDiscovery startDiscovery(String node, Address advertised, MdnsDiscovery.Joiner joiner, boolean replay)
            throws IOException {
        if (discover == null) {
            return null;
        }
        String on = mdnsIface != null
                ? mdnsIface
                : InterfaceAddress.interfaceWith(advertised.host())
                        .orElseThrow(() -> new CommandLine.ParameterException(
                                spec.commandLine(),
                                "-discover: no local network interface has the advertise address " + advertised.host()
                                        + ": name the one for mDNS with -mdns-iface"));
        List<InetAddress> addresses;
        try {
            addresses = InterfaceAddress.onePerFamily(on, !mdnsDisableIpv4, !mdnsDisableIpv6, InterfaceAddress.SYSTEM);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-discover: " + e.getMessage());
        }
        return MdnsDiscovery.start(
                JmdnsMdns.open(addresses, node),
                discover,
                node,
                advertised.port(),
                joiner,
                replay,
                !mdnsDisableIpv4,
                !mdnsDisableIpv6,
                MdnsDiscovery.POLL_INTERVAL);
    }
}
