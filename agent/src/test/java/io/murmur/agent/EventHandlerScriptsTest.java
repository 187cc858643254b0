package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.agent.handlers.HandlerSpec;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.serf.QueryParams;
import io.murmur.serf.QueryReply;
import io.murmur.serf.SerfSettings;
import io.murmur.transport.memory.MemoryNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real /bin/sh handler scripts on two agents over the in-memory network: a member join, a user event and a query. */
class EventHandlerScriptsTest {

    private static final long SEED = 7;

    @TempDir
    Path dir;

    private ActorSystem<Void> system;
    private MemoryNetwork network;
    private final List<SerfAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        system = ActorSystem.create(Behaviors.empty(), "handler-scripts-test");
        network = new MemoryNetwork(SEED);
        for (int i = 1; i <= 2; i++) {
            Address address = new Address("10.0.1." + i, 7946);
            NodeSettings node =
                    NodeSettings.of("h" + i, address, MembershipConfig.lan()).withSeed(SEED + i);
            SerfSettings settings = SerfSettings.of(node).withTags(Map.of("role", "web", "dc.zone", "eu"));
            agents.add(SerfAgent.start(
                    system, settings, network.bind(address), new InetSocketAddress("127.0.0.1", 0), "", null));
        }
        // An agent serves nobody before it lists itself (its own member-join is behind it), so the scripts subscribed
        // below see only the joins the tests make.
        assertTrue(agents.get(0).api().members().stream().anyMatch(m -> m.name().equals("h1")), "h1 lists itself");
        agents.get(0)
                .startEventHandlers(
                        List.of(
                                HandlerSpec.parse("member-join="
                                        + script(
                                                "join",
                                                "cat > \"$D/join.in\"; "
                                                        + "env | grep '^SERF_' | sort > \"$D/join.env\"")),
                                HandlerSpec.parse(
                                        "user:deploy="
                                                + script(
                                                        "deploy",
                                                        "cat > \"$D/deploy.in\"; "
                                                                + "echo \"$SERF_EVENT $SERF_USER_EVENT $SERF_USER_LTIME\" > \"$D/deploy.env\"")),
                                HandlerSpec.parse("query:uptime="
                                        + script(
                                                "uptime",
                                                "read p; " + "echo \"$SERF_SELF_NAME says $p to $SERF_QUERY_NAME\"")),
                                HandlerSpec.parse("query:fail=" + script("fail", "echo nope; exit 3"))),
                        Duration.ofSeconds(30));
    }

    /** A script file that runs {@code body} with {@code $D} set to where it writes (published into the test's dir). */
    private String script(String name, String body) throws IOException {
        Path file = dir.resolve(name + ".sh");
        Files.writeString(file, "#!/bin/sh\n" + ScriptOutput.publishing(dir, body));
        assertTrue(file.toFile().setExecutable(true));
        return file.toString();
    }

    @AfterEach
    void stop() throws Exception {
        agents.forEach(SerfAgent::close);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        network.close();
    }

    /** Waits (at most 20 s) for a script to have written {@code name}, and reads it. */
    private String awaitFile(String name) throws IOException, InterruptedException {
        return ScriptOutput.await(dir, name, Duration.ofSeconds(20));
    }

    private void join() {
        assertEquals(
                1,
                agents.get(1)
                        .join(List.of(new Address("10.0.1.1", 7946)), false)
                        .joined());
    }

    @Test
    void memberJoinScriptGetsTheMembersOnStdinAndSerfsEnvironment() throws Exception {
        join();
        String in = awaitFile("join.in");
        assertTrue(in.contains("h2\t10.0.1.2\tweb\tdc.zone=eu,role=web\n"), in);
        String env = awaitFile("join.env");
        assertTrue(env.contains("SERF_EVENT=member-join\n"), env);
        assertTrue(env.contains("SERF_SELF_NAME=h1\n"), env);
        assertTrue(env.contains("SERF_SELF_ROLE=web\n"), env);
        assertTrue(env.contains("SERF_TAG_DC_ZONE=eu\n"), env);
    }

    @Test
    void userEventScriptGetsThePayloadAndItsName() throws Exception {
        join();
        assertTrue(agents.get(1)
                .api()
                .userEvent("deploy", "v42".getBytes(StandardCharsets.UTF_8), false)
                .isEmpty());
        assertEquals("v42\n", awaitFile("deploy.in"));
        assertTrue(awaitFile("deploy.env").startsWith("user deploy "));
    }

    @Test
    void queryIsAnsweredWithTheScriptsOutputOnlyWhenItSucceeds() throws Exception {
        join();
        assertEquals("h1 says ping to uptime\n", respondersOf("uptime", "ping").get("h1"));
        assertTrue(respondersOf("fail", "x").isEmpty(), "a failing script does not answer");
    }

    private Map<String, String> respondersOf(String query, String payload) throws Exception {
        CompletableFuture<Map<String, String>> done = new CompletableFuture<>();
        Map<String, String> responses = new java.util.concurrent.ConcurrentHashMap<>();
        QueryParams params = QueryParams.all().withNodes(List.of("h1")).withTimeout(Duration.ofSeconds(5));
        assertTrue(agents.get(1)
                .api()
                .query(query, payload.getBytes(StandardCharsets.UTF_8), params, reply -> {
                    if (reply instanceof QueryReply.Response r) {
                        responses.put(r.from(), r.payload().utf8());
                    } else if (reply instanceof QueryReply.Done || reply instanceof QueryReply.Rejected) {
                        done.complete(responses);
                    }
                })
                .isEmpty());
        return done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void infoListsTheRunningScriptsByFilterAsSerfInfoDoes() throws Exception {
        String h1 = info(1);
        String scripts = dir.toString();
        assertTrue(
                h1.contains("event_handlers:\n"
                        + "\tmember-join: = " + scripts + "/join.sh\n"
                        + "\tquery:fail = " + scripts + "/fail.sh\n"
                        + "\tquery:uptime = " + scripts + "/uptime.sh\n"
                        + "\tuser:deploy = " + scripts + "/deploy.sh\n"
                        + "runtime:\n"),
                h1);
        assertTrue(info(2).contains("event_handlers:\nruntime:\n"), "h2 runs no scripts"); // the section, empty
    }

    /** What {@code murmur info} prints for agent {@code i}. */
    private String info(int i) {
        java.io.StringWriter out = new java.io.StringWriter();
        int exit = Main.run(
                new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(out, true),
                "info",
                "-rpc-addr=127.0.0.1:" + agents.get(i - 1).rpcPort());
        assertEquals(0, exit, out.toString());
        return out.toString();
    }
}
