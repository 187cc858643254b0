package io.murmur.agent.handlers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.serf.MemberStatus;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfMember;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptInputTest {

    private static final Map<String, String> SELF = Map.of("role", "web", "dc-zone.1", "eu");

    @Test
    void memberEventEnvironmentNamesSelfAndTags() {
        Map<String, String> env = ScriptInput.environment(HandlerSpecTest.JOIN, "n9", SELF);
        assertEquals("member-join", env.get("SERF_EVENT"));
        assertEquals("n9", env.get("SERF_SELF_NAME"));
        assertEquals("web", env.get("SERF_SELF_ROLE"));
        assertEquals("web", env.get("SERF_TAG_ROLE"));
        assertEquals("eu", env.get("SERF_TAG_DC_ZONE_1"));
        assertFalse(env.containsKey("SERF_USER_EVENT"));
        assertEquals(
                "",
                ScriptInput.environment(HandlerSpecTest.JOIN, "n9", Map.of()).get("SERF_SELF_ROLE"));
    }

    @Test
    void userEventAndQueryEnvironmentCarryNameAndLamportTime() {
        Map<String, String> user = ScriptInput.environment(HandlerSpecTest.DEPLOY, "n9", SELF);
        assertEquals("user", user.get("SERF_EVENT"));
        assertEquals("deploy", user.get("SERF_USER_EVENT"));
        assertEquals("7", user.get("SERF_USER_LTIME"));
        Map<String, String> query = ScriptInput.environment(HandlerSpecTest.UPTIME, "n9", SELF);
        assertEquals("query", query.get("SERF_EVENT"));
        assertEquals("uptime", query.get("SERF_QUERY_NAME"));
        assertEquals("3", query.get("SERF_QUERY_LTIME"));
    }

    @Test
    void memberStdinIsOneEscapedLinePerMember() {
        SerfEvent event = new SerfEvent.Members(
                SerfEvent.Type.MEMBER_UPDATE,
                List.of(
                        new SerfMember(
                                "n1",
                                new Address("10.0.0.1", 7946),
                                Map.of("role", "web", "b", "x\ty"),
                                MemberStatus.ALIVE),
                        new SerfMember("n\n2", new Address("10.0.0.2", 7946), Map.of(), MemberStatus.ALIVE)));
        assertEquals(
                "n1\t10.0.0.1\tweb\tb=x\\ty,role=web\nn\\n2\t10.0.0.2\t\t\n",
                new String(ScriptInput.stdin(event), StandardCharsets.UTF_8));
    }

    @Test
    void payloadStdinEndsWithOneNewline() {
        assertEquals("v42\n", new String(ScriptInput.stdin(HandlerSpecTest.DEPLOY), StandardCharsets.UTF_8));
        SerfEvent withNewline = new SerfEvent.User(1, "e", Bytes.utf8("a\n"), false);
        assertEquals("a\n", new String(ScriptInput.stdin(withNewline), StandardCharsets.UTF_8));
        assertEquals("\n", new String(ScriptInput.stdin(HandlerSpecTest.UPTIME), StandardCharsets.UTF_8));
    }

    @Test
    void outputKeepsTheLastEightKibibytes() {
        byte[] big = new byte[ScriptRunner.OUTPUT_LIMIT + 100];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        byte[] kept = ScriptRunner.drain(new ByteArrayInputStream(big));
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 100, big.length), kept);
        assertArrayEquals(new byte[] {1, 2}, ScriptRunner.drain(new ByteArrayInputStream(new byte[] {1, 2})));
    }
}
