package io.murmur.agent.config;

import io.murmur.agent.rpc.AgentSerf;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Serf's agent flags for how the node meets the network, as a picocli mixin: the serf protocol version it reports.
 * {@link #apply} layers the configuration files under them and checks them.
 */
public final class NetworkOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "-protocol",
            defaultValue = "5",
            description = "Serf protocol version to report, 2 to 5 (default 5, as Serf 0.9); the wire is the same.")
    public int protocol;

    /**
     * The files' settings where no flag was given on the command line, then the checks.
     *
     * @throws CommandLine.ParameterException for a value out of range (exit code 2)
     */
    public void apply(AgentConfig files, ConfigOptions config) {
        protocol = config.fromFile("-protocol", protocol, files.protocol());
        if (protocol < AgentSerf.MIN_PROTOCOL || protocol > AgentSerf.MAX_PROTOCOL) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "-protocol must be between " + AgentSerf.MIN_PROTOCOL + " and " + AgentSerf.MAX_PROTOCOL
                            + " (Serf's protocol versions), got " + protocol);
        }
    }
}
