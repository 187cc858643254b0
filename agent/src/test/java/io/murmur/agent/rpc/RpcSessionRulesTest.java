package io.murmur.agent.rpc;

import static io.murmur.agent.rpc.RpcTestClient.map;
import static io.murmur.agent.rpc.RpcTestClient.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.ValueFactory;

/** Serf's session rules and bad input: every mistake is Serf's error or a closed connection, never a dead server. */
class RpcSessionRulesTest {

    private final FakeSerf serf = new FakeSerf();
    private RpcServer server;

    private RpcServer start(String authKey) throws Exception {
        server = RpcServer.start(new InetSocketAddress("127.0.0.1", 0), serf, authKey, null, () -> {});
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The server still serves a new client: bad input on one connection did not take it down. */
    private void assertServerStillServes() throws Exception {
        try (RpcTestClient c = new RpcTestClient(server.port()).handshake()) {
            long s = c.send("members", null);
            assertEquals("", c.error(s));
            assertEquals(
                    2, RpcTestClient.field(c.next(), "Members").asArrayValue().size());
        }
    }

    @Test
    void headerIsAMapOfSeqAndErrorWithStrings() {
        byte[] frame = RpcCodec.frame(1, "", null);
        // 82 (map of 2) a3 "Seq" 01 a5 "Error" a0 ("")
        assertArrayEquals(HexFormat.of().parseHex("82a353657101a54572726f72a0"), frame);
    }

    @Test
    void aCommandBeforeTheHandshakeIsRefusedAndTheConnectionClosed() throws Exception {
        start("");
        try (RpcTestClient c = new RpcTestClient(server.port())) {
            long s = c.send("members", null);
            assertEquals("Handshake required", c.error(s));
            assertTrue(c.closedByServer());
        }
        assertServerStillServes();
    }

    @Test
    void onlyVersionOneAndOnlyOneHandshake() throws Exception {
        start("");
        try (RpcTestClient c = new RpcTestClient(server.port())) {
            long s = c.send("handshake", map("Version", ValueFactory.newInteger(2)));
            assertEquals("Unsupported IPC version", c.error(s));
            c.handshake();
            s = c.send("handshake", map("Version", ValueFactory.newInteger(1)));
            assertEquals("Handshake already performed", c.error(s));
        }
    }

    @Test
    void anUnknownCommandIsUnsupportedAndClosesTheConnection() throws Exception {
        start("");
        try (RpcTestClient c = new RpcTestClient(server.port()).handshake()) {
            long s = c.send("make-coffee", null);
            assertEquals("Unsupported command", c.error(s));
            assertTrue(c.closedByServer());
        }
        assertServerStillServes();
    }

    @Test
    void malformedMsgpackClosesTheConnection() throws Exception {
        start("");
        try (RpcTestClient c = new RpcTestClient(server.port()).handshake()) {
            c.raw(new byte[] {(byte) 0xc1, 0x01, 0x02}); // 0xc1 is never used by msgpack
            assertTrue(c.closedByServer());
        }
        assertServerStillServes();
    }

    @Test
    void aBodyOfTheWrongShapeClosesTheConnection() throws Exception {
        start("");
        try (RpcTestClient c = new RpcTestClient(server.port()).handshake()) {
            c.send("event", ValueFactory.newArray(str("deploy")));
            assertTrue(c.closedByServer());
        }
        try (RpcTestClient c = new RpcTestClient(server.port())) {
            c.send("handshake", map("Version", str("one")));
            assertTrue(c.closedByServer());
        }
        assertServerStillServes();
    }

    @Test
    void aTruncatedRequestThenHangUpEndsOnlyThatSession() throws Exception {
        start("");
        try (RpcTestClient c = new RpcTestClient(server.port()).handshake()) {
            c.raw(HexFormat.of().parseHex("82a7436f6d6d616e64a4")); // {"Command": "…  cut short
        }
        assertServerStillServes();
    }

    @Test
    void withAnAuthKeyCommandsWaitForAGoodToken() throws Exception {
        start("s3cret");
        try (RpcTestClient c = new RpcTestClient(server.port()).handshake()) {
            long s = c.send("members", null);
            assertEquals("Authentication required", c.error(s));
            s = c.send("event", map("Name", str("deploy"))); // its body is skipped, the session goes on
            assertEquals("Authentication required", c.error(s));
            s = c.send("auth", map("AuthKey", str("wrong")));
            assertEquals("Invalid authentication token", c.error(s));
            s = c.send("auth", map("AuthKey", str("s3cret")));
            assertEquals("", c.error(s));
            s = c.send("members", null);
            assertEquals("", c.error(s));
            assertEquals(
                    2, RpcTestClient.field(c.next(), "Members").asArrayValue().size());
        }
        assertTrue(serf.calls.isEmpty(), "nothing reached the node before the token: " + serf.calls);
    }

    @Test
    void anInvalidRegexInMembersFilteredClosesWithoutAReply() throws Exception {
        start("");
        try (RpcTestClient c = new RpcTestClient(server.port()).handshake()) {
            c.send("members-filtered", map("Name", str("(")));
            assertTrue(c.closedByServer());
        }
        assertServerStillServes();
    }

    @Test
    void leaveIsAnsweredThenTheAgentIsToldToShutDown() throws Exception {
        java.util.concurrent.CompletableFuture<Void> left = new java.util.concurrent.CompletableFuture<>();
        server = RpcServer.start(new InetSocketAddress("127.0.0.1", 0), serf, "", null, () -> left.complete(null));
        try (RpcTestClient c = new RpcTestClient(server.port()).handshake()) {
            long s = c.send("leave", null);
            assertEquals("", c.error(s));
            left.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(c.closedByServer());
        }
        assertEquals("leave", serf.calls.poll());
        assertFalse(left.isCompletedExceptionally());
    }
}
