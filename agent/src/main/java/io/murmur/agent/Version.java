package io.murmur.agent;

import picocli.CommandLine;

/** Murmur's version, from the jar's manifest when there is one. */
final class Version implements CommandLine.IVersionProvider {

    static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"murmur " + current() + " (Java " + Runtime.version() + ")"};
    }

    @CommandLine.Command(name = "version", description = "Prints Murmur's version.")
    static final class Command implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().println(new Version().getVersion()[0]);
            spec.commandLine().getOut().flush();
        }
    }
}
