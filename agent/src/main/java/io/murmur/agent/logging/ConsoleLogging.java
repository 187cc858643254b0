package io.murmur.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration for the murmur command line, in code rather than a logback.xml: lines go to stderr as
 * {@code HH:mm:ss.SSS LEVEL Logger - message}; Murmur's loggers at the {@code murmur.log.level} system property (WARN
 * when unset), Pekko, Aeron and the rest at WARN. Parsing XML loaded some 600 classes (Logback's Joran and the JDK's
 * XML parser) into every agent for this; in code it costs nothing. A {@code -Dlogback.configurationFile} still wins.
 * Found by Logback through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("io.murmur").setLevel(Level.toLevel(System.getProperty("murmur.log.level"), Level.WARN));
        context.getLogger("org.apache.pekko").setLevel(Level.WARN);
        context.getLogger("io.aeron").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
