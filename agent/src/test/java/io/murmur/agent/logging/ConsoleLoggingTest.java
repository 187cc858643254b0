package io.murmur.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConsoleLogging}, Logback's configuration in code: Logback finds it through the service loader, it sends lines
 * to stderr with the levels it documents, and a {@code -Dlogback.configurationFile} still wins. Each test configures a
 * fresh {@link LoggerContext}, not the one the test JVM logs through.
 */
class ConsoleLoggingTest {

    private static final List<String> PROPERTIES = List.of("logback.configurationFile", "murmur.log.level");

    private final Map<String, String> saved = new HashMap<>();
    private final LoggerContext context = new LoggerContext();

    @BeforeEach
    void clearProperties() {
        for (String p : PROPERTIES) {
            saved.put(p, System.clearProperty(p));
        }
    }

    @AfterEach
    void restoreProperties() {
        context.stop();
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @Test
    void logbackFindsItThroughTheServiceLoaderAndItLogsToStderr() throws Exception {
        assertTrue(
                ServiceLoader.load(Configurator.class).stream().anyMatch(p -> p.type() == ConsoleLogging.class),
                "listed in META-INF/services/" + Configurator.class.getName());

        new ContextInitializer(context).autoConfig(); // what Logback does on its first logger

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        // Without it Logback's BasicConfigurator would have configured the context, with an appender called "console".
        ConsoleAppender<?> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
        assertTrue(stderr.isStarted());
        assertEquals("System.err", stderr.getTarget());
        assertEquals(
                ConsoleLogging.PATTERN,
                assertInstanceOf(PatternLayoutEncoder.class, stderr.getEncoder())
                        .getPattern());
        assertEquals(Level.WARN, root.getLevel());
        for (String logger : List.of("io.murmur", "org.apache.pekko", "io.aeron")) {
            assertEquals(Level.WARN, context.getLogger(logger).getLevel(), logger);
        }
    }

    @Test
    void murmurLogLevelSetsMurmursLoggersOnly() {
        System.setProperty("murmur.log.level", "DEBUG");
        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, new ConsoleLogging().configure(context));
        assertEquals(Level.DEBUG, context.getLogger("io.murmur").getLevel());
        assertEquals(Level.WARN, context.getLogger("org.apache.pekko").getLevel());
        assertEquals(Level.WARN, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
    }

    @Test
    void aLogbackConfigurationFileWinsAndNothingIsConfigured() {
        System.setProperty("logback.configurationFile", "/etc/murmur/logback.xml");
        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, new ConsoleLogging().configure(context));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertFalse(root.iteratorForAppenders().hasNext(), "no appender added");
        assertEquals(Level.DEBUG, root.getLevel(), "the root logger's level untouched (Logback's default)");
        assertNull(context.getLogger("io.murmur").getLevel());
    }
}
