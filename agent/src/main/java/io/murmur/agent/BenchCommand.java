package io.murmur.agent;

import picocli.CommandLine.Command;

/** {@code murmur bench <what>}: commands that measure and print figures. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measures Murmur and prints figures (with --json, the last line is one JSON object).",
        subcommands = {MembershipBench.class, SerfBench.class, AgentsBench.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "say what to measure: membership, serf or agents");
    }
}
