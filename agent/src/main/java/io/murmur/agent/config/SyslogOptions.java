package io.murmur.agent.config;

import io.murmur.agent.logging.Syslog;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Serf's {@code -syslog} flag and its file keys {@code enable_syslog} and {@code syslog_facility}, as a mixin. */
public final class SyslogOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "-syslog",
            description = "Also send the log to syslog (UDP localhost:514), facility syslog_facility (default LOCAL0).")
    public boolean enabled;

    /** The facility, upper-cased: the files' {@code syslog_facility}, else Serf's default {@code LOCAL0}. */
    public String facility = Syslog.DEFAULT_FACILITY;

    /**
     * The files' settings under the flag (a file's {@code enable_syslog: true} turns it on), then the check.
     *
     * @throws CommandLine.ParameterException for a facility Serf does not know, when syslog is on (as Serf checks)
     */
    public void apply(AgentConfig files) {
        enabled = enabled || Boolean.TRUE.equals(files.enableSyslog());
        String name = files.syslogFacility() != null ? files.syslogFacility() : Syslog.DEFAULT_FACILITY;
        if (!enabled) {
            return;
        }
        facility = Syslog.facility(name)
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(),
                        "syslog_facility '" + name + "' is not a syslog facility: one of "
                                + String.join(", ", Syslog.FACILITIES)));
    }
}
