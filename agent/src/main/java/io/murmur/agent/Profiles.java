package io.murmur.agent;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.murmur.membership.MembershipConfig;
import picocli.CommandLine;

/**
 * The membership settings a command runs with: the named profile, with whatever the application configuration
 * ({@code application.conf}, {@code -D} flags) sets under {@code murmur.membership} on top.
 */
final class Profiles {
    private Profiles() {}

    /** @throws CommandLine.ParameterException for an unknown profile or a bad setting (exit code 2) */
    static MembershipConfig load(String profile, CommandLine.Model.CommandSpec spec) {
        try {
            return MembershipConfig.fromConfig(ConfigFactory.load()
                    .withValue("murmur.membership.profile", ConfigValueFactory.fromAnyRef(profile)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
