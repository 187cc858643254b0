package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.murmur.agent.config.TagsFile;
import io.murmur.agent.logging.AgentLogging;
import io.murmur.agent.rpc.LogMonitor;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfMember;
import io.murmur.serf.SerfSettings;
import io.murmur.transport.memory.MemoryNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** SIGHUP's reload, called directly on an agent started from a config file on the in-memory network. */
class ReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path conf;
    private ActorSystem<Void> system;
    private MemoryNetwork network;
    private SerfAgent agent;
    private AgentLogging logging;
    private Reload reload;

    /** Starts the agent as {@code agent} would with {@code args} (after writing the config {@code json}). */
    private void start(String json, String... args) throws Exception {
        conf = dir.resolve("agent.json");
        Files.writeString(conf, json);
        AgentCommand cmd = new AgentCommand();
        new CommandLine(cmd).parseArgs(args);
        cmd.applyConfigFiles();
        SerfSettings settings = cmd.settings();
        system = ActorSystem.create(Behaviors.empty(), "reload-test");
        network = new MemoryNetwork(5);
        agent = SerfAgent.start(
                system,
                settings,
                network.bind(settings.node().self().address()),
                new InetSocketAddress("127.0.0.1", 0),
                "",
                null,
                cmd.config.tagsFile);
        agent.startEventHandlers(cmd.config.handlerSpecs(), cmd.config.eventHandlerTimeout);
        logging = AgentLogging.start(LogMonitor.parseLevel(cmd.logLevel).orElseThrow());
        reload = new Reload(
                cmd::reread,
                agent,
                logging,
                cmd.config.handlerSpecs(),
                settings.tags(),
                cmd.config.eventHandlerTimeout);
    }

    private void start(String json) throws Exception {
        start(json, "-config-file", dir.resolve("agent.json").toString(), "-node", "r1", "-bind", "10.0.3.1:7946");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
            logging.close();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            network.close();
        }
    }

    /** A handler script that writes its event's payload to {@code out} in the test's directory. */
    private String script(String name, String out) throws IOException {
        Path file = dir.resolve(name + ".sh");
        Files.writeString(file, "#!/bin/sh\n" + ScriptOutput.publishing(dir, "cat > \"$D/" + out + "\""));
        assertTrue(file.toFile().setExecutable(true));
        return file.toString();
    }

    private String config(String level, String tagValue, String... handlers) {
        return "{\"log_level\": \"" + level + "\", \"tags\": {\"v\": \"" + tagValue + "\"}, \"event_handlers\": ["
                + String.join(
                        ", ",
                        java.util.Arrays.stream(handlers)
                                .map(h -> "\"" + h + "\"")
                                .toList()) + "]}";
    }

    /** This node's tags, once it is in its own member list (right after a start it may not be yet). */
    private Map<String, String> selfTags() throws Exception {
        CompletableFuture<Void> selfKnown = new CompletableFuture<>();
        try (AutoCloseable events = agent.api().subscribe(e -> {
            if (e instanceof SerfEvent.Members m
                    && m.members().stream().anyMatch(s -> s.name().equals("r1"))) {
                selfKnown.complete(null);
            }
        })) {
            if (self().isEmpty()) { // subscribed before looking: its member event cannot slip between the two
                selfKnown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            return self().orElseThrow().tags();
        }
    }

    private Optional<SerfMember> self() {
        return agent.api().members().stream().filter(m -> m.name().equals("r1")).findFirst();
    }

    private void fire(String event) {
        assertTrue(agent.api()
                .userEvent(event, event.getBytes(StandardCharsets.UTF_8), false)
                .isEmpty());
    }

    @Test
    void reloadAppliesTheLogLevelTheHandlersAndTheTags() throws Exception {
        String a = script("a", "a.out");
        String b = script("b", "b.out");
        start(config("INFO", "1", "user:a=" + a));
        assertEquals(Map.of("v", "1"), selfTags());

        Files.writeString(conf, config("DEBUG", "2", "user:b=" + b));
        Reload.Outcome outcome = reload.reload();
        assertEquals(List.of(), outcome.errors());
        assertEquals(3, outcome.changes().size(), outcome.changes().toString());
        assertTrue(outcome.changes().contains("event handlers [user:a=" + a + "] -> [user:b=" + b + "]"));

        assertEquals(Level.DEBUG, logging.level());
        assertEquals(Map.of("v", "2"), selfTags());
        fire("a");
        fire("b");
        assertEquals("b\n", ScriptOutput.await(dir, "b.out", WAIT));
        assertFalse(Files.exists(dir.resolve("a.out")), "event a came first and ran no script: a's handler is gone");

        assertEquals(List.of(), reload.reload().changes(), "a second reload of the same files changes nothing");
    }

    @Test
    void removingEveryTagRightAfterTheStartRemovesThem() throws Exception {
        start(config("INFO", "1"));
        // At once, before the node may list itself: the tags it started with are what the reload compares against.
        Files.writeString(conf, "{\"log_level\": \"INFO\"}");
        assertEquals(List.of("tags {v=1} -> {}"), reload.reload().changes());
        assertEquals(Map.of(), selfTags());
    }

    @Test
    void tagsSetOverRpcStayWhenTheConfigurationLeavesTagsAlone() throws Exception {
        start(config("INFO", "1"));
        assertEquals(Map.of("v", "1"), selfTags());
        assertEquals(Optional.empty(), agent.api().setTags(Map.of("v", "9")));
        TestProbe.<Void>create(system).awaitAssert(WAIT, () -> {
            assertEquals(Map.of("v", "9"), self().orElseThrow().tags());
            return null;
        });

        assertEquals(List.of(), reload.reload().changes(), "as Serf's agent: the configuration's tags did not change");
        assertEquals(Map.of("v", "9"), selfTags());

        Files.writeString(conf, config("INFO", "2"));
        assertEquals(List.of("tags {v=1} -> {v=2}"), reload.reload().changes());
        assertEquals(Map.of("v", "2"), selfTags());
    }

    @Test
    void aConfigurationThatDoesNotLoadChangesNothing() throws Exception {
        String a = script("a", "a.out");
        start(config("INFO", "1", "user:a=" + a));

        Files.writeString(conf, "{\"log_level\": \"DEBUG\", \"tags\": ");
        Reload.Outcome broken = reload.reload();
        assertEquals(List.of(), broken.changes());
        assertTrue(
                broken.errors().get(0).contains("agent.json does not parse"),
                broken.errors().toString());

        Files.writeString(conf, "{\"log_level\": \"DEBUG\", \"colour\": \"blue\"}");
        assertTrue(reload.reload().errors().get(0).contains("unknown key 'colour'"));

        assertEquals(Level.INFO, logging.level());
        assertEquals(Map.of("v", "1"), selfTags());
        fire("a");
        assertEquals("a\n", ScriptOutput.await(dir, "a.out", WAIT), "the old handler still runs");
    }

    @Test
    void anUnknownLogLevelKeepsTheCurrentOneAndTheRestApplies() throws Exception {
        start(config("WARN", "1"));
        Files.writeString(conf, config("LOUD", "2"));
        Reload.Outcome outcome = reload.reload();
        assertEquals(List.of("invalid log level LOUD: keeping WARN"), outcome.errors());
        assertEquals(Level.WARN, logging.level());
        assertEquals(Map.of("v", "2"), selfTags());
    }

    @Test
    void anExistingTagsFileIsReadAgain() throws Exception {
        Path tags = dir.resolve("tags.json");
        TagsFile.write(tags, Map.of("role", "old"));
        start(
                "{}",
                "-node",
                "r1",
                "-bind",
                "10.0.3.1:7946",
                "-tags-file",
                tags.toString(),
                "-config-file",
                dir.resolve("agent.json").toString());
        assertEquals(Map.of("role", "old"), selfTags());

        TagsFile.write(tags, Map.of("role", "new", "zone", "eu"));
        assertEquals(
                List.of("tags {role=old} -> {role=new, zone=eu}"),
                reload.reload().changes());
        assertEquals(Map.of("role", "new", "zone", "eu"), selfTags());
    }

    @Test
    void aScriptInFlightFinishesAcrossAReload() throws Exception {
        Path gate = dir.resolve("gate");
        assertEquals(0, new ProcessBuilder("mkfifo", gate.toString()).start().waitFor());
        Path slow = dir.resolve("slow.sh");
        Files.writeString(
                slow,
                "#!/bin/sh\n"
                        + ScriptOutput.publishing(
                                dir,
                                "echo up > \"$D/started\"; mv \"$D/started\" '" + dir + "/'; " + "cat '" + gate
                                        + "' > \"$D/slow.out\""));
        assertTrue(slow.toFile().setExecutable(true));
        String b = script("b", "b.out");
        start(config("INFO", "1", "user:a=" + slow));

        fire("a");
        ScriptOutput.await(dir, "started", WAIT); // the slow script runs, blocked on the gate
        Files.writeString(conf, config("INFO", "1", "user:b=" + b));
        assertEquals(1, reload.reload().changes().size());
        fire("a"); // no handler for it any more: were the old set still in use, the slow script would block b
        fire("b");
        Files.writeString(gate, "released\n"); // opens the FIFO the script reads: it finishes
        assertEquals("released\n", ScriptOutput.await(dir, "slow.out", WAIT), "the script in flight finished");
        assertEquals("b\n", ScriptOutput.await(dir, "b.out", WAIT));
    }
}
