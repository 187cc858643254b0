package io.murmur.agent;

import static io.murmur.agent.MetricsPage.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.murmur.agent.handlers.HandlerSpec;
import io.murmur.agent.rpc.LogMonitor;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.serf.SerfSettings;
import io.murmur.transport.memory.MemoryNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.slf4j.LoggerFactory;

/**
 * What the agent itself drops when a consumer falls behind, on {@code /metrics} as
 * {@code murmur_agent_dropped_total{where=...}}: events past the handler scripts' queue (a script that hangs), and
 * records of an RPC stream and a monitor whose client reads nothing. One agent on the in-memory network.
 */
class AgentDropMetricsTest {

    private static final long SEED = 11;
    /** The logger whose lines flood the monitor; kept off the console. */
    private static final String FLOOD_LOGGER = "io.murmur.test.MonitorFlood";

    private static ActorSystem<Void> system;
    private static MemoryNetwork network;
    private static SerfAgent agent;

    @BeforeAll
    static void startAgent() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "agent-drop-metrics-test");
        network = new MemoryNetwork(SEED);
        Address address = new Address("10.0.3.1", 7946);
        NodeSettings node =
                NodeSettings.of("d1", address, MembershipConfig.lan()).withSeed(SEED);
        agent = SerfAgent.start(
                system,
                SerfSettings.of(node),
                network.bind(address),
                new InetSocketAddress("127.0.0.1", 0),
                "",
                LogMonitor.attach(Level.WARN));
        agent.startHttp(new InetSocketAddress("127.0.0.1", 0));
        // A script that hangs: the first 'hang' event holds the handlers' thread, the next 1024 wait, the rest drop.
        // Other user events find no script that wants them and take no room.
        agent.startEventHandlers(List.of(HandlerSpec.parse("user:hang=sleep 600")), Duration.ZERO);
        keepOffTheConsole(FLOOD_LOGGER);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close(); // kills the sleeping script
        }
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void eventsPastTheHandlerScriptsQueueAreCounted() throws Exception {
        assertEquals(0.0, dropped("event_handlers"));
        int fired = 1100;
        for (int i = 0; i < fired; i++) {
            assertTrue(agent.api().userEvent("hang", new byte[0], false).isEmpty());
        }
        // One is running (or about to), 1024 wait, the rest were dropped.
        String text = MetricsPage.await(
                system, agent, t -> sample(t, "murmur_agent_dropped_total{where=\"event_handlers\"}") >= fired - 1025);
        double dropped = sample(text, "murmur_agent_dropped_total{where=\"event_handlers\"}");
        assertTrue(dropped >= fired - 1025 && dropped <= fired - 1024, dropped + " of " + fired);
        assertTrue(text.contains("# TYPE murmur_agent_dropped_total counter"), text);
    }

    @Test
    void eventRecordsPastTheBacklogOfAStreamThatIsNotReadAreCounted() throws Exception {
        assertEquals(0.0, dropped("rpc_stream"));
        try (Socket idle = rpcClientThatStopsReading("stream", "Type", "user:flood")) {
            byte[] payload = new byte[400]; // large records fill the client's socket sooner
            fireUntil(
                    () -> {
                        for (int i = 0; i < 100; i++) {
                            assertTrue(agent.api()
                                    .userEvent("flood", payload, false)
                                    .isEmpty());
                        }
                        return 100;
                    },
                    () -> dropped("rpc_stream") > 0,
                    50_000);
        }
        assertEquals(0.0, dropped("rpc_query"));
    }

    @Test
    void logLinesPastTheBacklogOfAMonitorThatIsNotReadAreCounted() throws Exception {
        assertEquals(0.0, dropped("rpc_monitor"));
        String line = "x".repeat(1000);
        try (Socket idle = rpcClientThatStopsReading("monitor", "LogLevel", "WARN")) {
            var log = LoggerFactory.getLogger(FLOOD_LOGGER);
            fireUntil(
                    () -> {
                        for (int i = 0; i < 100; i++) {
                            log.warn(line);
                        }
                        return 100;
                    },
                    () -> dropped("rpc_monitor") > 0,
                    50_000);
        }
    }

    /**
     * Runs {@code batch} (which returns how many it sent) until {@code done}, at most {@code max} sent; returns how many
     * were sent.
     */
    private static int fireUntil(IntSupplier batch, CheckedCondition done, int max) throws Exception {
        int fired = 0;
        while (fired < max) {
            fired += batch.getAsInt();
            if (done.holds()) {
                return fired;
            }
        }
        throw new AssertionError("nothing was dropped after " + fired + ":\n" + MetricsPage.get(agent));
    }

    private interface CheckedCondition {
        boolean holds() throws Exception;
    }

    /** A client that starts {@code command} (after the handshake), reads its reply, then reads nothing more. */
    private static Socket rpcClientThatStopsReading(String command, String key, String value) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(2048); // before connecting, so that the window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", agent.rpcPort()), 5_000);
        socket.setSoTimeout(10_000);
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(2)
                    .packString("Command")
                    .packString("handshake")
                    .packString("Seq")
                    .packLong(1);
            p.packMapHeader(1).packString("Version").packInt(1);
            p.packMapHeader(2)
                    .packString("Command")
                    .packString(command)
                    .packString("Seq")
                    .packLong(2);
            p.packMapHeader(1).packString(key).packString(value);
            socket.getOutputStream().write(p.toByteArray());
            socket.getOutputStream().flush();
        }
        MessageUnpacker in = MessagePack.newDefaultUnpacker(socket.getInputStream());
        for (int seq = 1; seq <= 2; seq++) {
            Value header = in.unpackValue();
            Value error = header.asMapValue().map().get(ValueFactory.newString("Error"));
            assertEquals("", error.asStringValue().asString(), command + " refused: " + header);
        }
        return socket;
    }

    private static double dropped(String where) throws Exception {
        return sample(MetricsPage.get(agent), "murmur_agent_dropped_total{where=\"" + where + "\"}");
    }

    /** The console appenders skip {@code logger}'s lines; the monitor's appender still gets them. */
    private static void keepOffTheConsole(String logger) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Iterator<Appender<ILoggingEvent>> it =
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (it.hasNext()) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender.getName() != null && appender.getName().equals("serf-monitor")) {
                continue;
            }
            Filter<ILoggingEvent> skip = new Filter<>() {
                @Override
                public FilterReply decide(ILoggingEvent event) {
                    return event.getLoggerName().equals(logger) ? FilterReply.DENY : FilterReply.NEUTRAL;
                }
            };
            skip.start();
            appender.addFilter(skip);
        }
    }
}
