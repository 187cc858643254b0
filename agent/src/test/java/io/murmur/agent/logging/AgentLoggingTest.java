package io.murmur.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.net.SyslogAppender;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent's log level across its outputs, and {@code -syslog}: datagrams to a test socket standing for syslogd. */
class AgentLoggingTest {

    private static final Logger LOG = LoggerFactory.getLogger("io.murmur.agent.SyslogProbe");

    private DatagramSocket syslogd;
    private AgentLogging logging;

    @BeforeEach
    void start() throws Exception {
        syslogd = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        syslogd.setSoTimeout(10_000); // a wait for the datagram, not a pause: receive returns as soon as one arrives
        logging = AgentLogging.start(Level.INFO);
    }

    @AfterEach
    void stop() {
        logging.close();
        syslogd.close();
    }

    private String nextDatagram() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
        syslogd.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    private static SyslogAppender attached() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        return (SyslogAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(Syslog.APPENDER_NAME);
    }

    @Test
    void syslogGetsTheAgentsLinesWithItsFacility() throws Exception {
        logging.sendToSyslog("local3", "127.0.0.1", syslogd.getLocalPort());
        SyslogAppender appender = assertInstanceOf(SyslogAppender.class, attached());
        assertEquals("LOCAL3", appender.getFacility());

        LOG.warn("disk almost full");
        String line = nextDatagram();
        // RFC 3164 priority: facility LOCAL3 (19) * 8 + severity warning (4)
        assertTrue(line.startsWith("<156>"), line);
        assertTrue(line.endsWith("murmur: [WARN] SyslogProbe: disk almost full"), line);
    }

    @Test
    void aLevelChangeReachesSyslog() throws Exception {
        logging.sendToSyslog(Syslog.DEFAULT_FACILITY, "127.0.0.1", syslogd.getLocalPort());
        logging.level(Level.WARN);
        LOG.info("not for syslog");
        LOG.error("for syslog");
        String line = nextDatagram(); // datagrams over loopback from one thread arrive in order
        assertTrue(line.startsWith("<131>") && line.endsWith("for syslog"), line); // LOCAL0 (16) * 8 + error (3)

        logging.level(Level.DEBUG);
        LOG.debug("now for syslog");
        assertTrue(nextDatagram().endsWith("now for syslog"));
    }

    @Test
    void unknownFacilitiesAreRefusedAndCloseDetaches() {
        var e = assertThrows(IllegalArgumentException.class, () -> logging.sendToSyslog("LOCAL9", "127.0.0.1", 514));
        assertTrue(e.getMessage().contains("unknown syslog facility 'LOCAL9'"), e.getMessage());
        assertNull(attached());
        logging.sendToSyslog("daemon", "127.0.0.1", syslogd.getLocalPort());
        logging.close();
        assertNull(attached());
    }
}
