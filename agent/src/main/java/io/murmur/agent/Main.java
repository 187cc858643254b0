package io.murmur.agent;

import io.murmur.agent.cli.CliCommands;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code murmur} command line: {@code demo}, {@code bench}, {@code agent}, {@code version}, and the commands that
 * drive an agent over Serf's RPC protocol ({@code members}, {@code join}, ... see {@link CliCommands}).
 */
@Command(
        name = "murmur",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Murmur: a gossip cluster runtime (SWIM + Lifeguard membership) on Pekko and Aeron.",
        subcommands = {DemoCommand.class, BenchCommand.class, AgentCommand.class, Version.Command.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Initialise logging before Pekko and Aeron threads race to do it.
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (2 for a usage error). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs the command line printing to {@code out} and {@code err} (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine().setOut(out).setErr(err).execute(args);
    }

    private static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        CliCommands.all().forEach(c -> cl.addSubcommand(c));
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
