package io.murmur.agent.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.net.SyslogAppender;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Serf's {@code -syslog}: the agent's log lines also go to syslog, with Serf's facility names. */
public final class Syslog {

    /** Serf's default {@code syslog_facility}. */
    public static final String DEFAULT_FACILITY = "LOCAL0";

    /** The facilities Serf accepts (any case). */
    public static final List<String> FACILITIES = List.of(
            "KERN",
            "USER",
            "MAIL",
            "DAEMON",
            "AUTH",
            "SYSLOG",
            "LPR",
            "NEWS",
            "UUCP",
            "CRON",
            "AUTHPRIV",
            "FTP",
            "LOCAL0",
            "LOCAL1",
            "LOCAL2",
            "LOCAL3",
            "LOCAL4",
            "LOCAL5",
            "LOCAL6",
            "LOCAL7");

    /** What every line carries after syslog's own header: the program, Serf's level tag, the logger, the message. */
    static final String SUFFIX_PATTERN = "murmur: [%level] %logger{0}: %msg";

    static final String APPENDER_NAME = "syslog";

    private Syslog() {}

    /** {@code name} as a facility Serf knows, upper-cased; empty when it is none. */
    public static Optional<String> facility(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return FACILITIES.contains(upper) ? Optional.of(upper) : Optional.empty();
    }

    /**
     * A started appender that sends each line as a UDP datagram to {@code host:port} (RFC 3164).
     *
     * @throws IllegalArgumentException for a facility Serf does not know
     * @throws IllegalStateException when the appender could not start (its socket); the message says why
     */
    static SyslogAppender appender(LoggerContext context, String facility, String host, int port) {
        String checked = facility(facility)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown syslog facility '" + facility + "': one of " + String.join(", ", FACILITIES)));
        SyslogAppender appender = new SyslogAppender();
        appender.setContext(context);
        appender.setName(APPENDER_NAME);
        appender.setSyslogHost(host);
        appender.setPort(port);
        appender.setFacility(checked);
        appender.setSuffixPattern(SUFFIX_PATTERN);
        int errorsBefore = context.getStatusManager().getCount();
        appender.start();
        if (!appender.isStarted()) {
            String why = context.getStatusManager().getCopyOfStatusList().stream()
                    .skip(errorsBefore)
                    .map(s -> s.getMessage())
                    .reduce((a, b) -> a + "; " + b)
                    .orElse("unknown reason");
            throw new IllegalStateException("syslog output to " + host + ":" + port + " did not start: " + why);
        }
        return appender;
    }
}
