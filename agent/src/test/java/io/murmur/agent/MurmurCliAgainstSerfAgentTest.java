package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.murmur.agent.handlers.HandlerSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Murmur's CLI against a real Serf agent ({@code serf agent}, Debian's {@code serf} package): the commands must drive
 * a Go agent as they drive a Murmur one, which holds them to what Serf's agent accepts (of the internal queries, only
 * {@code _serf_ping} without payload) and shows what a Serf member reports. Skipped when {@code serf} is not installed.
 */
class MurmurCliAgainstSerfAgentTest {

    /** The Serf agent's handler scripts: both do nothing. */
    private static final List<String> HANDLERS = List.of("member-join,user:deploy=/bin/true", "/bin/true");

    private static Process agent;
    private static int rpcPort;
    private static int bindPort;
    private static final List<String> agentOutput = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSerfAgent() throws Exception {
        assumeTrue(SerfCliTest.serfInstalled(), "serf is not on the PATH: install it (apt-get install -y serf)");
        bindPort = FreePorts.next(); // Serf's gossip: UDP and TCP
        rpcPort = FreePorts.next();
        agent = new ProcessBuilder(
                        "serf",
                        "agent",
                        "-node=go-1",
                        "-bind=127.0.0.1:" + bindPort,
                        "-rpc-addr=127.0.0.1:" + rpcPort,
                        "-tag",
                        "role=web",
                        "-event-handler",
                        HANDLERS.get(0),
                        "-event-handler",
                        HANDLERS.get(1))
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            agentOutput.add(line);
                            if (line.contains("Serf agent running!")) {
                                running.complete(null); // its RPC port listens from before this line
                            }
                        }
                    } catch (java.io.IOException e) {
                        // the agent is gone
                    }
                    running.completeExceptionally(new IllegalStateException("serf agent exited: " + agentOutput));
                },
                "serf-agent-output");
        reader.setDaemon(true);
        reader.start();
        running.get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopSerfAgent() throws Exception {
        if (agent != null) {
            agent.destroy();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "serf agent did not stop");
        }
    }

    private static String ok(String... args) {
        return run(0, args);
    }

    /** Runs {@code murmur args...} against the Serf agent; returns what it printed (stdout and stderr). */
    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = args[0];
        all[1] = "-rpc-addr=127.0.0.1:" + rpcPort;
        System.arraycopy(args, 1, all, 2, args.length - 1);
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), all);
        assertEquals(
                expectedExit,
                exit,
                "murmur " + String.join(" ", all) + " printed:\n" + out + "\nagent: " + agentOutput);
        return out.toString();
    }

    /** What Murmur's agent must refuse and accept, as Serf's agent does (RpcSession.isRefusedInternalQuery). */
    @Test
    void aSerfAgentRefusesInternalQueriesButAPingWithoutPayload() {
        for (String[] refused : List.of(
                new String[] {"_serf_conflict"}, new String[] {"_serf_ping", "x"}, new String[] {"_serf_pingx"})) {
            String[] args = new String[refused.length + 3];
            args[0] = "query";
            args[1] = "-timeout=1s";
            args[2] = "-no-ack";
            System.arraycopy(refused, 0, args, 3, refused.length);
            assertTrue(run(1, args).contains("Queries cannot contain the '_serf_' prefix"), String.join(" ", refused));
        }
        assertTrue(ok("query", "-timeout=1s", "_serf_ping").contains("Ack from 'go-1'"));
        assertTrue(ok("query", "-timeout=1s", "_serf_ping", "").contains("Ack from 'go-1'"));
        // No such rule for user events.
        assertTrue(ok("event", "_serf_deploy").contains("Event '_serf_deploy' dispatched!"));
    }

    @Test
    void aSerfAgentsSerfStatsAreTheKeysMurmurReports() {
        String info = ok("info");
        String section = info.substring(info.indexOf("serf:\n") + "serf:\n".length(), info.indexOf("tags:\n"));
        List<String> keys =
                section.lines().map(l -> l.trim().split(" = ")[0]).sorted().toList();
        List<String> expected = new java.util.ArrayList<>(SerfCliTest.SERF_STATS_KEYS);
        expected.add("encrypted");
        assertEquals(expected.stream().sorted().toList(), keys, info);
    }

    @Test
    void reachabilityPingsASerfAgent() {
        assertEquals(
                "Total members: 1, live members: 1\nStarting reachability test...\n"
                        + "Successfully contacted all live nodes\n",
                ok("reachability"));
    }

    @Test
    void membersDetailedShowsWhatASerfMemberReports() {
        assertEquals(
                "go-1  127.0.0.1:" + bindPort + "  alive  role=web  Protocol Version: 5"
                        + "  Available Protocol Range: [2, 5]  Memberlist Version: 2  Available Memberlist Range: [1, 5]\n",
                ok("members", "-detailed"));
    }

    @Test
    void aSerfAgentsEventHandlersSectionIsWhatMurmurWouldReportForTheSameHandlers() {
        Map<String, String> ours = new TreeMap<>(HandlerSpec.scriptsByFilter(
                HANDLERS.stream().map(HandlerSpec::parse).toList()));
        StringBuilder section = new StringBuilder("event_handlers:\n");
        ours.forEach((filter, script) ->
                section.append('\t').append(filter).append(" = ").append(script).append('\n'));
        String info = ok("info");
        assertTrue(info.contains(section + "runtime:\n"), "expected\n" + section + "in\n" + info);
    }
}
