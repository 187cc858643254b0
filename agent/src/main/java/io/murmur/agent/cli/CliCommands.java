package io.murmur.agent.cli;

import java.util.List;

/**
 * Murmur's own CLI: the {@code serf} CLI's commands, talking to an agent over Serf's RPC protocol (reference §2.12),
 * registered as subcommands of {@code murmur}.
 */
public final class CliCommands {

    private CliCommands() {}

    /** One instance of each command, in the order {@code murmur --help} lists them. */
    public static List<Object> all() {
        return List.of(
                new MembersCommand(),
                new MembershipCommands.Join(),
                new MembershipCommands.Leave(),
                new MembershipCommands.ForceLeave(),
                new EventCommands.Event(),
                new EventCommands.Query(),
                new MembershipCommands.Tags(),
                new KeysCommands.Keys(),
                new KeysCommands.Keygen(),
                new InfoCommands.Monitor(),
                new InfoCommands.Info(),
                new InfoCommands.Rtt(),
                new ReachabilityCommand());
    }
}
