package io.murmur.agent.rpc;

import static io.murmur.agent.rpc.RpcTestClient.field;
import static io.murmur.agent.rpc.RpcTestClient.map;
import static io.murmur.agent.rpc.RpcTestClient.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.murmur.agent.config.TagsFileSerf;
import io.murmur.agent.http.CountingAgentSerf;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;

/** Serf's {@code -protocol}: the node reports the version it was started with as its member's DelegateCur. */
class MemberProtocolTest {

    private final FakeSerf serf = new FakeSerf();
    private RpcServer server;
    private RpcTestClient c;

    @BeforeEach
    void start() throws Exception {
        serf.protocol = 3;
        server = RpcServer.start(new InetSocketAddress("127.0.0.1", 0), serf, "", null, () -> {});
        c = new RpcTestClient(server.port()).handshake();
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    /** Member name to its DelegateCur in a members reply. */
    private Map<String, Long> delegateCur(Value reply) {
        Map<String, Long> cur = new HashMap<>();
        for (Value m : field(reply, "Members").asArrayValue()) {
            cur.put(
                    field(m, "Name").asStringValue().asString(),
                    field(m, "DelegateCur").asIntegerValue().toLong());
        }
        return cur;
    }

    @Test
    void thisNodeReportsItsProtocolAndOthersSerfsDefault() throws Exception {
        long s = c.send("members", null);
        assertEquals("", c.error(s));
        assertEquals(Map.of("a1", 3L, "b2", 5L), delegateCur(c.next()));

        s = c.send("members-filtered", map("Name", str("a.")));
        assertEquals("", c.error(s));
        assertEquals(Map.of("a1", 3L), delegateCur(c.next()));
    }

    @Test
    void decoratorsPassTheProtocolThrough() {
        assertEquals(3, new CountingAgentSerf(new TagsFileSerf(serf, Path.of("unused.json"))).protocolVersion());
    }
}
