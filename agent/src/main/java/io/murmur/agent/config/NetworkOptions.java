package io.murmur.agent.config;

import io.murmur.agent.rpc.AgentSerf;
import io.murmur.protocol.Address;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Serf's agent flags for how the node meets the network, as a picocli mixin: the serf protocol version it reports and
 * the interface it binds. {@link #apply} layers the configuration files under them and checks them.
 */
public final class NetworkOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "-protocol",
            defaultValue = "5",
            description = "Serf protocol version to report, 2 to 5 (default 5, as Serf 0.9); the wire is the same.")
    public int protocol;

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
}
