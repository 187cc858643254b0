package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -HUP} on a real agent process: it reloads its config file (a handler and the tags change, seen through
 * its RPC port), and a config file broken before the next HUP is reported while the agent keeps serving.
 */
class SighupProcessTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** What {@code murmur ARGS} printed, after checking that it exited 0. */
    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    private String script(String name, String out) throws IOException {
        Path file = dir.resolve(name + ".sh");
        Files.writeString(file, "#!/bin/sh\n" + ScriptOutput.publishing(dir, "cat > \"$D/" + out + "\""));
        assertTrue(file.toFile().setExecutable(true));
        return file.toString();
    }

    @Test
    void hangupReloadsHandlersAndTagsAndABrokenFileLeavesTheAgentRunning() throws Exception {
        int gossipPort = FreePorts.next();
        int rpcPort = FreePorts.next();
        String rpc = "127.0.0.1:" + rpcPort;
        Path conf = dir.resolve("agent.json");
        String first = script("first", "first.out");
        String second = script("second", "second.out");
        Files.writeString(conf, "{\"tags\": {\"v\": \"1\"}, \"event_handlers\": [\"user:ping=" + first + "\"]}");

        try (AgentProcess agent = AgentProcess.start(
                "-node",
                "hup-1",
                "-bind",
                "127.0.0.1:" + gossipPort,
                "-rpc-addr",
                rpc,
                "-config-file",
                conf.toString())) {
            agent.awaitLine(l -> l.contains("Murmur agent running!"), START);

            Files.writeString(conf, "{\"tags\": {\"v\": \"2\"}, \"event_handlers\": [\"user:ping=" + second + "\"]}");
            agent.signal("HUP");
            agent.awaitLine(l -> l.endsWith("Reloaded: tags {v=1} -> {v=2}"), WAIT);
            assertTrue(cli("members", "-rpc-addr", rpc).contains("v=2"));
            cli("event", "-rpc-addr", rpc, "ping", "pong");
            assertEquals("pong\n", ScriptOutput.await(dir, "second.out", WAIT));
            assertTrue(!Files.exists(dir.resolve("first.out")), "the replaced handler did not run");

            Files.writeString(conf, "{\"tags\": ");
            agent.signal("HUP");
            String error = agent.awaitLine(l -> l.contains("Failed to reload the configuration"), WAIT);
            assertTrue(error.contains("agent.json does not parse"), error);
            assertTrue(cli("members", "-rpc-addr", rpc).contains("v=2"), "still serving, on its old configuration");
        }
    }
}
