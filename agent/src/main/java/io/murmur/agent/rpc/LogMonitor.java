package io.murmur.agent.rpc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The {@code monitor} command's source: a Logback appender on the root logger that hands each line, formatted as
 * Serf's agent logs ({@code 2006/01/02 15:04:05 [INFO] name: message}), to the monitors whose level it reaches. A
 * monitor asking for more detail than the agent logs lowers Murmur's logger level; the console keeps the agent's level
 * through a threshold filter ({@code io.murmur.agent.logging.AgentLogging}).
 */
public final class LogMonitor {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Map<Object, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final Logger murmur;
    private volatile Level agentLevel;
    private Appender<ILoggingEvent> appender;

    private record Subscriber(Level level, Consumer<String> lines) {}

    private LogMonitor(Logger murmur, Level agentLevel) {
        this.murmur = murmur;
        this.agentLevel = agentLevel;
    }

    /** Attaches the appender to the root logger; Murmur's loggers log at {@code agentLevel}. */
    public static LogMonitor attach(Level agentLevel) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogMonitor monitor = new LogMonitor(context.getLogger("io.murmur"), agentLevel);
        monitor.murmur.setLevel(agentLevel);
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                monitor.publish(event);
            }
        };
        appender.setContext(context);
        appender.setName("serf-monitor");
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        monitor.appender = appender;
        return monitor;
    }

    /** Murmur's loggers log at {@code level} from now on (lower while a monitor asks for more detail). */
    public void agentLevel(Level level) {
        agentLevel = level;
        adjustLevel();
    }

    /** Takes the appender off the root logger: monitors get no more lines. */
    public void detach() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }

    /** Serf's level names (TRACE, DEBUG, INFO, WARN, ERR; any case); empty for anything else. */
    public static Optional<Level> parseLevel(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Optional.of(Level.TRACE);
            case "DEBUG" -> Optional.of(Level.DEBUG);
            case "INFO" -> Optional.of(Level.INFO);
            case "WARN" -> Optional.of(Level.WARN);
            case "ERR", "ERROR" -> Optional.of(Level.ERROR);
            default -> Optional.empty();
        };
    }

    /** Lines at {@code level} or above go to {@code lines} (which must not block) until {@link #remove}. */
    void add(Object key, Level level, Consumer<String> lines) {
        subscribers.put(key, new Subscriber(level, lines));
        adjustLevel();
    }

    void remove(Object key) {
        subscribers.remove(key);
        adjustLevel();
    }

    private synchronized void adjustLevel() {
        Level lowest = agentLevel;
        for (Subscriber s : subscribers.values()) {
            if (!s.level.isGreaterOrEqual(lowest)) {
                lowest = s.level;
            }
        }
        murmur.setLevel(lowest);
    }

    private void publish(ILoggingEvent event) {
        if (subscribers.isEmpty()) {
            return;
        }
        String line = format(event);
        for (Subscriber s : subscribers.values()) {
            if (event.getLevel().isGreaterOrEqual(s.level)) {
                s.lines.accept(line);
            }
        }
    }

    static String format(ILoggingEvent event) {
        String level = event.getLevel() == Level.ERROR ? "ERR" : event.getLevel().levelStr;
        String logger = event.getLoggerName();
        String name = logger.substring(logger.lastIndexOf('.') + 1);
        return TIME.format(Instant.ofEpochMilli(event.getTimeStamp())) + " [" + level + "] " + name + ": "
                + event.getFormattedMessage();
    }
}
