package io.murmur.agent;

import picocli.CommandLine.Command;

/** {@code murmur bench <what>}: commands that measure and print figures. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measures Murmur and prints figures (with --json, the last line is one JSON object).",
        subcommands = {MembershipBench.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
