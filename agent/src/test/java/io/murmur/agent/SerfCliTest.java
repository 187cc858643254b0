package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.murmur.protocol.Bytes;
import io.murmur.serf.SerfEvent;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stock {@code serf} command line (Serf 0.9.x) against three Murmur agents on the in-memory network, each with
 * its RPC port on loopback. Skipped when {@code serf} is not on the PATH ({@code apt-get install serf}; CI installs
 * it when it runs as root).
 */
class SerfCliTest {

    private static final String KEY = ThreeAgents.KEY;

    /**
     * The numeric keys of the {@code serf} section of a Serf agent's stats (reference §2.13; checked against a real
     * Serf agent in {@code MurmurCliAgainstSerfAgentTest}); with {@code encrypted} they are all Serf reports.
     */
    static final List<String> SERF_STATS_KEYS = List.of(
            "members",
            "failed",
            "left",
            "health_score",
            "member_time",
            "event_time",
            "query_time",
            "intent_queue",
            "event_queue",
            "query_queue",
            "coordinate_resets");

    private static final long SEED = 42;

    private static ThreeAgents cluster;
    private static List<SerfAgent> agents;
    private static List<SerfEvent> seenByN1;

    static boolean serfInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "serf"))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> respondErrors;

    @BeforeAll
    static void startAgents() throws Exception {
        assumeTrue(serfInstalled(), "serf is not on the PATH: install it (apt-get install -y serf) to run this test");
        cluster = new ThreeAgents("serf-cli-test", "n", "10.0.0", SEED);
        agents = cluster.agents;
        seenByN1 = cluster.seenByFirst;
        respondErrors = cluster.respondErrors;
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

    /** Runs {@code serf args...} and returns what it printed (stdout and stderr), asserting the exit code. */
    private static String serf(int expectedExit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("serf"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serf " + command + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(expectedExit, p.exitValue(), "serf " + String.join(" ", args) + " printed:\n" + out);
        return out;
    }

    /** Runs Murmur's CLI in-process; returns what it printed on stdout, asserting exit 0. */
    private static String murmur(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
        assertEquals(0, exit, "murmur " + String.join(" ", args) + " printed:\n" + out + err);
        return out.toString();
    }

    /** Waits until n1 has seen an event that {@code wanted} accepts. */
    private static void awaitEventOnN1(Predicate<SerfEvent> wanted) throws InterruptedException {
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
                assertTrue(System.nanoTime() < deadline, "n1 did not see the expected event; it saw " + seenByN1);
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Predicate<SerfEvent> members(SerfEvent.Type type, String name) {
        return e -> e instanceof SerfEvent.Members m
                && m.type() == type
                && m.members().stream().anyMatch(x -> x.name().equals(name));
    }

    @Test
    void theSerfCommandLineIsRefusedInternalQueriesButMayPing() throws Exception {
        String refused = serf(1, "query", rpc(1), "_serf_list-keys");
        assertTrue(refused.contains("Error sending query: Queries cannot contain the '_serf_' prefix"), refused);
        refused = serf(1, "query", rpc(1), "_serf_ping", "x");
        assertTrue(refused.contains("Error sending query: Queries cannot contain the '_serf_' prefix"), refused);
        // A node that did not list itself would expect no one to answer and be done at once; an agent serves no
        // client before it lists itself.
        assertTrue(agents.get(0).api().members().stream().anyMatch(m -> m.name().equals("n1")), "n1 lists itself");
        for (String[] ping : List.of(new String[] {"_serf_ping"}, new String[] {"_serf_ping", ""})) {
            List<String> args = new ArrayList<>(List.of("query", rpc(1), "-timeout", "10s"));
            args.addAll(List.of(ping));
            String pinged = serf(0, args.toArray(String[]::new));
            assertTrue(pinged.contains("Ack from 'n1'"), pinged);
        }
    }

    @Test
    void theSerfCommandLineDrivesMurmurAgents() throws Exception {
        String joined = serf(0, "join", rpc(1), "10.0.0.2:7946", "10.0.0.3:7946");
        assertTrue(joined.contains("Successfully joined cluster by contacting 2 nodes."), joined);
        awaitEventOnN1(members(SerfEvent.Type.MEMBER_JOIN, "n2"));
        awaitEventOnN1(members(SerfEvent.Type.MEMBER_JOIN, "n3"));

        String members = serf(0, "members", rpc(1));
        assertTrue(members.matches("(?s).*n1\\s+10\\.0\\.0\\.1:7946\\s+alive\\s+role=web.*"), members);
        assertTrue(members.matches("(?s).*n3\\s+10\\.0\\.0\\.3:7946\\s+alive\\s+role=db.*"), members);
        String json = serf(0, "members", rpc(1), "-format", "json", "-tag", "role=db");
        assertTrue(json.contains("\"name\": \"n2\"") && json.contains("\"status\": \"alive\""), json);
        assertTrue(!json.contains("\"name\": \"n1\""), json);
        // Murmur's CLI writes what the stock CLI writes, byte for byte, for the same agent's reply.
        for (List<String> filter : List.<List<String>>of(List.of(), List.of("-name", "nobody"))) {
            List<String> args = new ArrayList<>(List.of("members", rpc(1), "-format", "json"));
            args.addAll(filter);
            String ours = murmur(args.toArray(String[]::new));
            assertEquals(serf(0, args.toArray(String[]::new)), ours);
            assertTrue(ours.contains(filter.isEmpty() ? "\"protocol\": {" : "\"members\": null"), ours);
        }
        String role = serf(0, "members", rpc(1), "-role", "d.");
        assertEquals(
                role,
                "Deprecation warning: 'Role' has been replaced with 'Tags'\n"
                        + murmur("members", rpc(1), "-role", "d."));

        String event = serf(0, "event", rpc(1), "deploy", "v42");
        assertTrue(event.contains("Event 'deploy' dispatched! Coalescing enabled: true"), event);
        awaitEventOnN1(e -> e instanceof SerfEvent.User u
                && u.name().equals("deploy")
                && u.payload().equals(Bytes.utf8("v42")));

        String query = serf(0, "query", rpc(1), "-timeout", "20s", "uptime", "please");
        assertTrue(query.contains("Query 'uptime' dispatched"), query);
        for (String n : List.of("n1", "n2", "n3")) {
            assertTrue(
                    query.contains("Response from '" + n + "': up on " + n),
                    query + "\nrefused answers: " + respondErrors);
        }
        assertTrue(query.contains("Total Responses: 3"), query);

        String refused = serf(1, "members", rpc(2));
        assertTrue(refused.contains("Authentication required"), refused);
        String tags = serf(0, "tags", rpc(2), "-rpc-auth=tok3n", "-set", "zone=eu");
        assertTrue(tags.contains("Successfully updated agent tags"), tags);
        awaitEventOnN1(members(SerfEvent.Type.MEMBER_UPDATE, "n2"));
        String eu = serf(0, "members", rpc(1), "-tag", "zone=eu");
        assertTrue(eu.contains("n2") && !eu.contains("n3"), eu);

        String keys = serf(0, "keys", rpc(1), "-list");
        assertTrue(keys.contains(KEY) && keys.contains("[3/3]"), keys);
        String info = serf(0, "info", rpc(1));
        assertTrue(info.contains("name = n1") && info.contains("members = 3"), info);
        for (String key : SERF_STATS_KEYS) {
            assertTrue(info.matches("(?s).*\nserf:\n(\t.*\n)*\t" + key + " = \\d+.*"), key + " in\n" + info);
        }
        assertTrue(info.contains("\tencrypted = true\n"), info);
        assertTrue(info.contains("\thealth_score = 0\n"), info);

        String left = serf(0, "leave", rpc(3));
        assertTrue(left.contains("Graceful leave complete"), left);
        agents.get(2).leftOverRpc().get(30, TimeUnit.SECONDS);
        awaitEventOnN1(members(SerfEvent.Type.MEMBER_LEAVE, "n3"));
        String after = serf(0, "members", rpc(1), "-status", "left");
        assertTrue(after.matches("(?s).*n3\\s+10\\.0\\.0\\.3:7946\\s+left.*"), after);
    }
}
