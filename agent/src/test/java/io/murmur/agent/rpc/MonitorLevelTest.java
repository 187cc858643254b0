package io.murmur.agent.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import io.murmur.agent.logging.AgentLogging;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent's level holds the console, not a {@code monitor} that asks for more detail, and it changes live. */
class MonitorLevelTest {

    private static final Logger LOG = LoggerFactory.getLogger("io.murmur.agent.MonitorProbe");

    @Test
    void aMonitorGetsMoreDetailThanTheAgentsLevelAndFollowsALevelChange() {
        AgentLogging logging = AgentLogging.start(Level.INFO);
        List<String> lines = new CopyOnWriteArrayList<>();
        Object key = new Object();
        try {
            logging.monitor().add(key, Level.DEBUG, lines::add);
            LOG.debug("detail");
            assertEquals(1, lines.size(), lines.toString());

            logging.monitor().remove(key);
            logging.monitor().add(key, Level.WARN, lines::add);
            logging.level(Level.TRACE);
            LOG.trace("finer"); // emitted now (the agent's level), but below what this monitor asked for
            LOG.warn("warned");
            assertEquals(2, lines.size(), lines.toString());
            assertEquals(true, lines.get(1).endsWith("[WARN] MonitorProbe: warned"), lines.get(1));
            assertEquals(true, LOG.isTraceEnabled());
        } finally {
            logging.monitor().remove(key);
            logging.close();
        }
    }
}
