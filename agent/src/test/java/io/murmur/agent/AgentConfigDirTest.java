package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.agent.config.TagsFile;
import io.murmur.serf.SerfSettings;
import io.murmur.transport.memory.MemoryNetwork;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** An agent configured from a config directory plus flags, started in-process on the in-memory network. */
class AgentConfigDirTest {

    @TempDir
    Path dir;

    private AgentCommand parse(String... args) {
        AgentCommand cmd = new AgentCommand();
        new CommandLine(cmd).parseArgs(args);
        cmd.applyConfigFiles();
        return cmd;
    }

    private Path configDir() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf.d"));
        Path script = dir.resolve("hello.sh");
        Files.writeString(script, "#!/bin/sh\n" + ScriptOutput.publishing(dir, "cat > \"$D/hello.in\""));
        assertTrue(script.toFile().setExecutable(true));
        Files.writeString(conf.resolve("10-base.json"), """
                {"node_name": "cfg-1", "bind": "10.0.2.1:7946", "profile": "local", "rpc_auth": "s3cret",
                 "tags": {"role": "db", "zone": "eu", "rack": "r1"}, "event_handlers": ["user:hello=%s"],
                 "tags_file": "%s", "broadcast_timeout": "7s", "start_join": ["10.0.2.9"]}
                """.formatted(script, dir.resolve("tags.json")));
        Files.writeString(conf.resolve("20-override.hocon"), "tags.zone = us\nlog_level = DEBUG\n");
        return conf;
    }

    @Test
    void flagsWinOverFilesAndListsAppend() throws Exception {
        Path conf = configDir();
        AgentCommand cmd = parse("-config-dir", conf.toString(), "-node", "flag-1", "-join", "10.0.2.8");
        assertEquals("flag-1", cmd.node);
        assertEquals("10.0.2.1:7946", cmd.bind);
        assertEquals("DEBUG", cmd.logLevel);
        assertEquals(List.of("10.0.2.9", "10.0.2.8"), cmd.join);
        assertEquals("s3cret", cmd.rpcAuth);
        assertEquals("0.0.0.0:7946", parse().bind, "without files the flag's default stays");
    }

    @Test
    void agentStartsFromAConfigDirectory() throws Exception {
        AgentCommand cmd = parse("-config-dir", configDir().toString(), "-tag", "zone=ap", "-role", "web");
        SerfSettings settings = cmd.settings();
        assertEquals(Map.of("role", "web", "zone", "ap", "rack", "r1"), settings.tags());
        assertEquals(Duration.ofSeconds(7), settings.serf().broadcastTimeout());
        assertEquals(settings.tags(), TagsFile.read(dir.resolve("tags.json")), "the tags file is written at start");

        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "agent-config-dir-test");
        MemoryNetwork network = new MemoryNetwork(11);
        SerfAgent agent = SerfAgent.start(
                system,
                settings,
                network.bind(settings.node().self().address()),
                new InetSocketAddress("127.0.0.1", 0),
                cmd.rpcAuth,
                null,
                cmd.config.tagsFile);
        try {
            agent.startEventHandlers(cmd.config.handlerSpecs(), cmd.config.eventHandlerTimeout);
            assertEquals("cfg-1", agent.api().name());

            assertTrue(agent.api().setTags(Map.of("role", "cache")).isEmpty());
            assertEquals(Map.of("role", "cache"), TagsFile.read(dir.resolve("tags.json")), "rewritten on change");

            assertTrue(agent.api()
                    .userEvent("hello", "hi".getBytes(StandardCharsets.UTF_8), false)
                    .isEmpty());
            assertEquals("hi\n", ScriptOutput.await(dir, "hello.in", Duration.ofSeconds(20)));
        } finally {
            agent.close();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            network.close();
        }
    }

    @Test
    void anExistingTagsFileExcludesOtherTags() throws Exception {
        Path tags = dir.resolve("t.json");
        TagsFile.write(tags, Map.of("role", "old"));
        assertEquals(
                Map.of("role", "old"),
                parse("-node", "n", "-tags-file", tags.toString()).settings().tags());
        AgentCommand both = parse("-node", "n", "-tags-file", tags.toString(), "-tag", "a=b");
        assertThrows(CommandLine.ParameterException.class, both::settings);
    }

    @Test
    void badConfigFilesAndHandlersAreUsageErrors() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"nodename\": \"x\"}");
        var e = assertThrows(CommandLine.ParameterException.class, () -> parse("-config-file", bad.toString()));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("nodename"), e.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> parse("-event-handler", "member-joined=./x.sh"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("-retry-interval", "500ms"));
    }
}
