package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Bytes;
import io.murmur.serf.SerfEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Murmur's own CLI ({@code murmur members}, ...) in-process against three agents on the in-memory network. */
class MurmurCliTest {

    private static final String KEY = ThreeAgents.KEY;
    private static final long SEED = 11;

    private static ThreeAgents cluster;
    private static List<SerfAgent> agents;
    private static List<SerfEvent> seenByN1;

    /** What a command printed and its exit code. */
    private record Run(int exit, String out, String err) {}

    @BeforeAll
    static void startAgents() throws Exception {
        cluster = new ThreeAgents("murmur-cli-test", "c", "10.0.2", SEED);
        agents = cluster.agents;
        seenByN1 = cluster.seenByFirst;
    }

    @AfterAll
    static void stopAgents() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String rpc(int agent) {
        return "-rpc-addr=127.0.0.1:" + agents.get(agent - 1).rpcPort();
    }

    private static Run murmur(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String ok(String... args) {
        Run r = murmur(args);
        assertEquals(0, r.exit(), "murmur " + String.join(" ", args) + " printed:\n" + r.out() + r.err());
        return r.out();
    }

    private static void awaitEventOnN1(Predicate<SerfEvent> wanted) throws Exception {
        CountDownLatch seen = new CountDownLatch(1);
        try (AutoCloseable sub = agents.get(0).api().subscribe(e -> {
            if (wanted.test(e)) {
                seen.countDown();
            }
        })) {
            // The subscription starts asynchronously: an event may reach seenByN1 after the first look but before
            // this subscriber, so look again each time the latch's wait ends.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seenByN1.stream().noneMatch(wanted) && !seen.await(200, TimeUnit.MILLISECONDS)) {
                assertTrue(System.nanoTime() < deadline, "c1 did not see the expected event; it saw " + seenByN1);
            }
        }
    }

    private static Predicate<SerfEvent> members(SerfEvent.Type type, String name) {
        return e -> e instanceof SerfEvent.Members m
                && m.type() == type
                && m.members().stream().anyMatch(x -> x.name().equals(name));
    }

    @Test
    void theCommandsDriveAgents() throws Exception {
        String joined = ok("join", rpc(1), "10.0.2.2:7946", "10.0.2.3");
        assertEquals("Successfully joined cluster by contacting 2 nodes.\n", joined);
        awaitEventOnN1(members(SerfEvent.Type.MEMBER_JOIN, "c2"));
        awaitEventOnN1(members(SerfEvent.Type.MEMBER_JOIN, "c3"));

        String members = ok("members", rpc(1));
        assertTrue(members.contains("c1  10.0.2.1:7946  alive  role=web\n"), members);
        assertTrue(members.contains("c3  10.0.2.3:7946  alive  role=db\n"), members);
        String json = ok("members", rpc(1), "-format", "json", "-tag", "role=db");
        assertTrue(json.startsWith("{\n  \"members\": [\n"), json);
        assertTrue(json.contains("\"name\": \"c2\"") && json.contains("\"status\": \"alive\""), json);
        assertTrue(!json.contains("\"name\": \"c1\""), json);
        String detailed = ok("members", rpc(1), "-detailed", "-name", "c1");
        assertEquals(
                "c1  10.0.2.1:7946  alive  role=web  Protocol Version: 5  Available Protocol Range: [2, 5]"
                        + "  Memberlist Version: 2  Available Memberlist Range: [1, 5]\n",
                detailed);
        assertEquals(
                ok("members", rpc(1), "-format", "json", "-name", "c1"),
                ok("members", rpc(1), "-format", "json", "-name", "c1", "-detailed"));
        assertEquals("{\n  \"members\": null\n}\n", ok("members", rpc(1), "-format", "json", "-name", "nobody"));
        // Serf's deprecated -role: a filter on the role tag that wins over -tag role=..., with a warning on stderr.
        Run role = murmur("members", rpc(1), "-role", "d.");
        assertEquals(0, role.exit(), role.err());
        assertEquals("Deprecation warning: 'Role' has been replaced with 'Tags'\n", role.err());
        assertTrue(
                role.out().contains("c2  ")
                        && role.out().contains("c3  ")
                        && !role.out().contains("c1  "),
                role.out());
        assertEquals(ok("members", rpc(1), "-name", "c1"), ok("members", rpc(1), "-tag", "role=db", "-role", "web"));
        assertEquals("{\n  \"members\": null\n}\n", ok("members", rpc(1), "-format", "json", "-role", "nobody"));

        String reach = ok("reachability", rpc(1), "-verbose");
        assertTrue(reach.startsWith("Total members: 3, live members: 3\nStarting reachability test...\n"), reach);
        for (String n : List.of("c1", "c2", "c3")) {
            assertTrue(reach.contains("\tAck from '" + n + "'\n"), reach);
        }
        assertTrue(
                reach.matches("(?s).*\nQuery time: \\d+\\.\\d\\d sec, time to last response: \\d+\\.\\d\\d sec\n"
                        + "Successfully contacted all live nodes\n"),
                reach);

        String event = ok("event", rpc(1), "deploy", "v42");
        assertEquals("Event 'deploy' dispatched! Coalescing enabled: true\n", event);
        awaitEventOnN1(e -> e instanceof SerfEvent.User u
                && u.name().equals("deploy")
                && u.payload().equals(Bytes.utf8("v42")));

        String query = ok("query", rpc(1), "-timeout", "20s", "uptime", "please");
        assertTrue(query.startsWith("Query 'uptime' dispatched\n"), query);
        for (String n : List.of("c1", "c2", "c3")) {
            assertTrue(query.contains("Ack from '" + n + "'"), query);
            assertTrue(query.contains("Response from '" + n + "': up on " + n), query);
        }
        assertTrue(query.endsWith("Total Acks: 3\nTotal Responses: 3\n"), query);
        String queryJson = ok("query", rpc(1), "-format", "json", "-node", "c3", "-timeout", "20s", "uptime");
        assertTrue(queryJson.contains("\"Responses\": {\n    \"c3\": \"up on c3\"\n  }"), queryJson);

        String tags = ok("tags", rpc(2), "-rpc-auth", "tok3n", "-set", "zone=eu");
        assertEquals("Successfully updated agent tags\n", tags);
        awaitEventOnN1(members(SerfEvent.Type.MEMBER_UPDATE, "c2"));
        String eu = ok("members", rpc(1), "-tag", "zone=eu");
        assertTrue(eu.contains("role=db,zone=eu") && !eu.contains("c3"), eu);

        String keys = ok("keys", rpc(1), "-list");
        assertTrue(keys.contains(KEY + " [3/3]"), keys);
        String newKey = ok("keygen").strip();
        assertEquals(32, java.util.Base64.getDecoder().decode(newKey).length);
        assertTrue(ok("keys", rpc(1), "-install", newKey).contains("Successfully installed key!"));
        String keysJson = ok("keys", rpc(1), "-list", "-format", "json");
        assertTrue(keysJson.contains("\"" + newKey + "\": 3") && keysJson.contains("\"num_nodes\": 3"), keysJson);

        String info = ok("info", rpc(1));
        assertTrue(info.contains("agent:\n\tname = c1\n") && info.contains("\tmembers = 3\n"), info);
        for (String key : SerfCliTest.SERF_STATS_KEYS) {
            assertTrue(info.matches("(?s).*\nserf:\n(\t.*\n)*\t" + key + " = \\d+\n.*"), key + " in\n" + info);
        }
        assertTrue(info.contains("\thealth_score = 0\n"), info);
        assertTrue(ok("info", rpc(1), "-format", "json").contains("\"encrypted\": \"true\""));

        Run rtt = murmur("rtt", rpc(1), "c2");
        assertTrue(
                rtt.exit() == 0
                        ? rtt.out().matches("Estimated c2 <-> c1 rtt: \\d+\\.\\d{3} ms.*\n")
                        : rtt.err().startsWith("Error: no coordinate"),
                rtt.toString());

        Run unknown = murmur("force-leave", rpc(1), "nobody");
        assertTrue(unknown.exit() != 0 || unknown.out().contains("nobody"), unknown.toString());

        assertEquals("Graceful leave complete\n", ok("leave", rpc(3)));
        agents.get(2).leftOverRpc().get(30, TimeUnit.SECONDS);
        awaitEventOnN1(members(SerfEvent.Type.MEMBER_LEAVE, "c3"));
        assertTrue(ok("members", rpc(1), "-status", "left").contains("c3  10.0.2.3:7946  left"));
        assertEquals(
                "Total members: 3, live members: 2\nStarting reachability test...\nSuccessfully contacted all live nodes\n",
                ok("reachability", rpc(1)));
    }

    @Test
    void badAuthAndAnUnreachableAgentFailClearly() throws Exception {
        Run noAuth = murmur("members", rpc(2));
        assertEquals(1, noAuth.exit());
        assertEquals("Error: Authentication required\n", noAuth.err());
        Run wrong = murmur("members", rpc(2), "-rpc-auth", "nope");
        assertEquals(1, wrong.exit());
        assertEquals("Error: Invalid authentication token\n", wrong.err());
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run down = murmur("members", "-rpc-addr", "127.0.0.1:" + closedPort);
        assertEquals(1, down.exit());
        assertTrue(down.err().startsWith("Error connecting to Murmur agent at 127.0.0.1:" + closedPort), down.err());
        assertEquals(2, murmur("members", rpc(1), "-format", "xml").exit());
        assertEquals(2, murmur("keys", rpc(1)).exit()); // one of -install, -use, -remove, -list is required
    }

    @Test
    void versionStillPrints() {
        assertTrue(ok("version").startsWith("murmur "));
    }
}
