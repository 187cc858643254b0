package io.murmur.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.murmur.agent.rpc.LogMonitor;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The agent's logging: one level ({@code -log-level}) for the console, syslog ({@code -syslog}) and what Murmur's
 * loggers emit when no {@code monitor} asks for more, changeable while the agent runs (SIGHUP, as Serf reloads its
 * log filter). A monitor that asks for more detail gets it through its own appender; the outputs keep the agent's
 * level through one shared threshold filter.
 */
public final class AgentLogging {

    private final LoggerContext context;
    private final LogMonitor monitor;
    private final LevelThreshold threshold;
    private SyslogAppender syslog;

    private AgentLogging(LoggerContext context, LogMonitor monitor, LevelThreshold threshold) {
        this.context = context;
        this.monitor = monitor;
        this.threshold = threshold;
    }

    /** Attaches the RPC monitor's source and puts the root logger's outputs (the console) at {@code level}. */
    public static AgentLogging start(Level level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LevelThreshold threshold = new LevelThreshold(level);
        threshold.start();
        Iterator<Appender<ILoggingEvent>> outputs = root(context).iteratorForAppenders();
        while (outputs.hasNext()) {
            outputs.next().addFilter(threshold);
        }
        return new AgentLogging(context, LogMonitor.attach(level), threshold); // the monitor's appender unfiltered
    }

    private static Logger root(LoggerContext context) {
        return context.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    /** The {@code monitor} command's log source. */
    public LogMonitor monitor() {
        return monitor;
    }

    public Level level() {
        return threshold.level();
    }

    /** From now on the outputs show, and Murmur's loggers emit, what reaches {@code level}. */
    public void level(Level level) {
        threshold.level(level);
        monitor.agentLevel(level);
    }

    /**
     * Also sends the lines that reach the agent's level to syslog at {@code host:port} over UDP, with
     * {@code facility} (one of {@link Syslog#FACILITIES}).
     *
     * @throws IllegalArgumentException for an unknown facility
     * @throws IllegalStateException when the syslog output cannot start
     */
    public synchronized void sendToSyslog(String facility, String host, int port) {
        SyslogAppender appender = Syslog.appender(context, facility, host, port);
        appender.addFilter(threshold);
        root(context).addAppender(appender);
        syslog = appender;
    }

    /** Detaches the syslog output, if any, and the monitor's source; the console shows every level again. */
    public synchronized void close() {
        threshold.level(Level.ALL);
        if (syslog != null) {
            root(context).detachAppender(syslog);
            syslog.stop();
            syslog = null;
        }
        monitor.detach();
    }
}
