package io.murmur.agent.rpc;

import static io.murmur.agent.rpc.RpcTestClient.bin;
import static io.murmur.agent.rpc.RpcTestClient.field;
import static io.murmur.agent.rpc.RpcTestClient.map;
import static io.murmur.agent.rpc.RpcTestClient.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.serf.KeyCommands;
import io.murmur.serf.MemberStatus;
import io.murmur.serf.QueryReply;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfInfo;
import io.murmur.serf.SerfMember;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;
import org.slf4j.LoggerFactory;

/** Each command's request and reply as Serf's RPC protocol has them (reference §2.13), against a fake node. */
class RpcCommandsTest {

    private final FakeSerf serf = new FakeSerf();
    private RpcServer server;
    private RpcTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = RpcServer.start(
                new InetSocketAddress("127.0.0.1", 0), serf, "", LogMonitor.attach(Level.INFO), () -> {});
        c = new RpcTestClient(server.port()).handshake();
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    private static String text(Value v) {
        return v.asStringValue().asString();
    }

    private static long num(Value v) {
        return v.asIntegerValue().toLong();
    }

    @Test
    void membersAreMapsWithGoFieldNamesIpAsFourBytesAndStrings() throws Exception {
        long s = c.send("members", null);
        assertEquals("", c.error(s));
        Value first = field(c.next(), "Members").asArrayValue().get(0);
        assertEquals(ValueType.STRING, field(first, "Name").getValueType());
        assertEquals("a1", text(field(first, "Name")));
        assertEquals(ValueType.BINARY, field(first, "Addr").getValueType());
        assertArrayEquals(
                new byte[] {10, 0, 0, 1}, field(first, "Addr").asBinaryValue().asByteArray());
        assertEquals(7946, num(field(first, "Port")));
        assertEquals("web", text(field(field(first, "Tags"), "role")));
        assertEquals("alive", text(field(first, "Status")));
        for (String f :
                List.of("ProtocolMin", "ProtocolMax", "ProtocolCur", "DelegateMin", "DelegateMax", "DelegateCur")) {
            assertTrue(num(field(first, f)) > 0, f);
        }
    }

    @Test
    void membersFilteredAnchorsItsRegularExpressions() throws Exception {
        long s = c.send("members-filtered", map("Name", str("a")));
        assertEquals("", c.error(s));
        assertEquals(0, field(c.next(), "Members").asArrayValue().size());
        s = c.send("members-filtered", map("Tags", map("role", str("d.")), "Status", str("failed|left")));
        assertEquals("", c.error(s));
        var members = field(c.next(), "Members").asArrayValue();
        assertEquals(1, members.size());
        assertEquals("b2", text(field(members.get(0), "Name")));
    }

    @Test
    void joinPassesReplayAsIgnoreOldAndAlwaysAnswersNum() throws Exception {
        long s = c.send(
                "join",
                map(
                        "Existing",
                        ValueFactory.newArray(str("10.0.0.9:7946"), str("10.0.0.8")),
                        "Replay",
                        ValueFactory.newBoolean(false)));
        assertEquals("", c.error(s));
        assertEquals(2, num(field(c.next(), "Num")));
        assertEquals("join [10.0.0.9:7946, 10.0.0.8:7946] ignoreOld=true", serf.calls.poll(5, TimeUnit.SECONDS));
        s = c.send("join", map("Existing", ValueFactory.newArray(str("nonsense:port"))));
        assertTrue(c.error(s).contains("error(s) occurred"));
        assertEquals(0, num(field(c.next(), "Num")));
    }

    @Test
    void eventTakesItsPayloadAsBinOrStrAndReportsSerfsError() throws Exception {
        long s = c.send(
                "event",
                map(
                        "Name",
                        str("deploy"),
                        "Payload",
                        bin("v42".getBytes()),
                        "Coalesce",
                        ValueFactory.newBoolean(true)));
        assertEquals("", c.error(s));
        assertEquals("event deploy v42 coalesce=true", serf.calls.poll(5, TimeUnit.SECONDS));
        s = c.send("event", map("Name", str("deploy"), "Payload", str("x".repeat(200))));
        assertEquals("user event exceeds limit", c.error(s));
    }

    @Test
    void tagsMergesIntoTheNodesTagsAndDeletes() throws Exception {
        long s = c.send("tags", map("Tags", map("zone", str("eu")), "DeleteTags", ValueFactory.newArray(str("role"))));
        assertEquals("", c.error(s));
        assertEquals("tags {zone=eu}", serf.calls.poll(5, TimeUnit.SECONDS));
        s = c.send("force-leave", map("Node", str("b2"), "Prune", ValueFactory.newBoolean(true)));
        assertEquals("", c.error(s));
        assertEquals("force-leave b2 prune=true", serf.calls.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void queryRepliesThenStreamsAcksResponsesAndDone() throws Exception {
        long s = c.send(
                "query",
                map(
                        "FilterNodes", ValueFactory.newArray(str("a1")),
                        "FilterTags", map("role", str("web")),
                        "RequestAck", ValueFactory.newBoolean(true),
                        "Timeout", ValueFactory.newInteger(2_000_000_000L),
                        "Name", str("uptime"),
                        "Payload", bin(new byte[] {1})));
        assertEquals("", c.error(s)); // the reply comes first, though the node acked before it was sent
        assertEquals(
                "query uptime \u0001 nodes=[a1] tags={role=web} ack=true timeout=PT2S",
                serf.calls.poll(5, TimeUnit.SECONDS));
        assertEquals("", c.error(s));
        Value ack = c.next();
        assertEquals("ack", text(field(ack, "Type")));
        assertEquals("a1", text(field(ack, "From")));
        serf.lastQuery.accept(new QueryReply.Response("a1", Bytes.utf8("up 3 days")));
        serf.lastQuery.accept(new QueryReply.Done(1, 1, 1, Set.of(), false));
        assertEquals("", c.error(s));
        Value response = c.next();
        assertEquals("response", text(field(response, "Type")));
        assertEquals(ValueType.BINARY, field(response, "Payload").getValueType());
        assertEquals(
                "up 3 days",
                new String(field(response, "Payload").asBinaryValue().asByteArray()));
        assertEquals("", c.error(s));
        assertEquals("done", text(field(c.next(), "Type")));

        s = c.send("query", map("Name", str("q".repeat(60))));
        assertEquals("query exceeds limit of 50 bytes", c.error(s));
    }

    @Test
    void internalQueryNamesAreRefusedExceptAPingWithoutPayload() throws Exception {
        for (Value refused : List.of(
                map("Name", str("_serf_conflict")),
                map("Name", str("_serf_list-keys"), "RequestAck", ValueFactory.newBoolean(true)),
                map("Name", str("_serf_ping"), "Payload", bin("x".getBytes())),
                map("Name", str("_serf_ping"), "Payload", str("x")),
                map("Name", str("_serf_pingx")),
                map("Name", str("_serf_")))) {
            long s = c.send("query", refused);
            assertEquals("Queries cannot contain the '_serf_' prefix", c.error(s), refused.toString());
        }
        // No payload, in each way a client may send none: the node is asked, the ack streams as for any query.
        for (Value ping : List.of(
                map("Name", str("_serf_ping"), "RequestAck", ValueFactory.newBoolean(true)),
                map("Name", str("_serf_ping"), "Payload", ValueFactory.newNil()),
                map("Name", str("_serf_ping"), "Payload", bin(new byte[0])),
                map("Name", str("_serf_ping"), "Payload", str("")))) {
            long s = c.send("query", ping);
            assertEquals("", c.error(s), ping.toString());
            assertEquals("", c.error(s));
            assertEquals("ack", text(field(c.next(), "Type")));
        }
        for (int i = 0; i < 4; i++) {
            String call = serf.calls.poll(5, TimeUnit.SECONDS);
            assertTrue(call != null && call.startsWith("query _serf_ping  "), call); // none of the refused ones
        }
        assertEquals(null, serf.calls.poll());
        // Serf has no such rule for user events.
        long s = c.send("event", map("Name", str("_serf_deploy")));
        assertEquals("", c.error(s));
        assertEquals("event _serf_deploy  coalesce=false", serf.calls.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void streamSendsWhatTheFilterLetsThroughAndQueriesCanBeAnswered() throws Exception {
        long bad = c.send("stream", map("Type", str("member-join,nonsense")));
        assertEquals("Invalid event filter", c.error(bad));
        long s = c.send("stream", map("Type", str("member-join,user:deploy,query")));
        assertEquals("", c.error(s));
        SerfMember m = new SerfMember("c3", new Address("10.0.0.3", 7946), Map.of(), MemberStatus.ALIVE);
        serf.publish(new SerfEvent.Members(SerfEvent.Type.MEMBER_LEAVE, List.of(m))); // filtered out
        serf.publish(new SerfEvent.User(7, "other", Bytes.EMPTY, false)); // filtered out
        serf.publish(new SerfEvent.Members(SerfEvent.Type.MEMBER_JOIN, List.of(m)));
        serf.publish(new SerfEvent.User(8, "deploy", Bytes.utf8("v42"), true));
        SerfEvent.Query query = new SerfEvent.Query(9, 77, "uptime", Bytes.EMPTY, "b2", System.nanoTime());
        serf.publish(query);

        assertEquals("", c.error(s));
        Value join = c.next();
        assertEquals("member-join", text(field(join, "Event")));
        assertEquals("c3", text(field(field(join, "Members").asArrayValue().get(0), "Name")));
        assertEquals("", c.error(s));
        Value user = c.next();
        assertEquals("user", text(field(user, "Event")));
        assertEquals(8, num(field(user, "LTime")));
        assertEquals("v42", new String(field(user, "Payload").asBinaryValue().asByteArray()));
        assertEquals(true, field(user, "Coalesce").asBooleanValue().getBoolean());
        assertEquals("", c.error(s));
        Value q = c.next();
        assertEquals("query", text(field(q, "Event")));
        long id = num(field(q, "ID"));

        long r = c.send("respond", map("ID", ValueFactory.newInteger(id), "Payload", bin("up".getBytes())));
        assertEquals("", c.error(r));
        assertEquals(query, serf.answered);
        r = c.send("respond", map("ID", ValueFactory.newInteger(id), "Payload", bin("again".getBytes())));
        assertEquals("No pending queries matching ID", c.error(r));

        long again = c.send("stream", map("Type", str("*")));
        assertEquals("", c.error(again));
        assertEquals("Stream with given sequence exists", streamWithSeq(again));
        long stop = c.send("stop", map("Stop", ValueFactory.newInteger(s)));
        assertEquals("", c.error(stop));
    }

    /** Sends a stream request with a seq already in use (a raw header, the client's counter aside). */
    private String streamWithSeq(long seq) throws Exception {
        try (var p = org.msgpack.core.MessagePack.newDefaultBufferPacker()) {
            p.packValue(map("Command", str("stream"), "Seq", ValueFactory.newInteger(seq)));
            p.packValue(map("Type", str("*")));
            c.raw(p.toByteArray());
        }
        return c.error(seq);
    }

    @Test
    void monitorStreamsLogLinesAtTheLevelAsked() throws Exception {
        long s = c.send("monitor", map("LogLevel", str("loud")));
        assertEquals("Unknown log level: LOUD", c.error(s));
        s = c.send("monitor", map("LogLevel", str("info")));
        assertEquals("", c.error(s));
        long second = c.send("monitor", map("LogLevel", str("debug")));
        assertEquals("Monitor already exists", c.error(second));
        LoggerFactory.getLogger("io.murmur.test.Probe").debug("too detailed");
        LoggerFactory.getLogger("io.murmur.test.Probe").info("hello monitor");
        assertEquals("", c.error(s));
        String line = text(field(c.next(), "Log"));
        assertTrue(line.endsWith("[INFO] Probe: hello monitor"), line);
        long stop = c.send("stop", map("Stop", ValueFactory.newInteger(s)));
        assertEquals("", c.error(stop));
    }

    @Test
    void keyCommandsAnswerSerfsKeyResponse() throws Exception {
        long s = c.send("list-keys", null);
        assertEquals("", c.error(s));
        Value body = c.next();
        assertEquals(2, num(field(field(body, "Keys"), "a2V5")));
        assertEquals(2, num(field(body, "NumNodes")));
        assertEquals(2, num(field(body, "NumResp")));
        assertEquals(0, num(field(body, "NumErr")));
        assertEquals("list-keys -", serf.calls.poll(5, TimeUnit.SECONDS));

        serf.keyResponse = new KeyCommands.KeyResponse(Map.of("b2", "no keyring"), 2, 2, 1, Map.of(), Map.of());
        String key = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        s = c.send("install-key", map("Key", str(key)));
        assertEquals("1/2 nodes reported failure", c.error(s));
        body = c.next();
        assertEquals("no keyring", text(field(field(body, "Messages"), "b2")));
        assertEquals("install-key 16 bytes", serf.calls.poll(5, TimeUnit.SECONDS));
        s = c.send("use-key", map("Key", str("not base64!")));
        assertTrue(!c.error(s).isEmpty());
        c.next(); // the body is always sent
    }

    @Test
    void statsAndCoordinates() throws Exception {
        long s = c.send("stats", null);
        assertEquals("", c.error(s));
        Value stats = c.next();
        assertEquals("a1", text(field(field(stats, "agent"), "name")));
        assertEquals("2", text(field(field(stats, "serf"), "members")));
        assertEquals("1", text(field(field(stats, "serf"), "failed")));
        Map<String, String> serfInfo = Map.of(
                "health_score", "3",
                "member_time", "11",
                "event_time", "12",
                "query_time", "13",
                "intent_queue", "21",
                "event_queue", "22",
                "query_queue", "23",
                "coordinate_resets", "4",
                "encrypted", "false");
        serfInfo.forEach((key, value) -> assertEquals(value, text(field(field(stats, "serf"), key)), key));
        assertEquals("web", text(field(field(stats, "tags"), "role")));
        assertEquals(0, field(stats, "event_handlers").asMapValue().size()); // a server given no handler scripts

        s = c.send("get-coordinate", map("Node", str("a1")));
        assertEquals("", c.error(s));
        Value reply = c.next();
        assertTrue(field(reply, "Ok").asBooleanValue().getBoolean());
        assertEquals(
                -0.25,
                field(field(reply, "Coord"), "Vec")
                        .asArrayValue()
                        .get(1)
                        .asFloatValue()
                        .toDouble());
        assertEquals(
                0.00001, field(field(reply, "Coord"), "Height").asFloatValue().toDouble());
        s = c.send("get-coordinate", map("Node", str("zz")));
        assertEquals("", c.error(s));
        reply = c.next();
        assertTrue(field(reply, "Coord").isNilValue());
        assertTrue(!field(reply, "Ok").asBooleanValue().getBoolean());
    }

    @Test
    void statsLeaveOutWhatTheNodeDidNotAnswerAndResetsOfANodeWithoutCoordinates() throws Exception {
        serf.info = Optional.of(new SerfInfo(0, 1, 1, 1, 0, 0, 0, OptionalLong.empty()));
        Value section = serfSection();
        assertEquals("0", text(field(section, "health_score")));
        assertEquals(null, field(section, "coordinate_resets"), "Serf leaves it out without coordinates");
        serf.info = Optional.empty(); // the node did not answer in time
        section = serfSection();
        for (String key : List.of("health_score", "member_time", "event_queue", "coordinate_resets")) {
            assertEquals(null, field(section, key), key);
        }
        assertEquals("2", text(field(section, "members"))); // what does not need the node's answer is still there
    }

    private Value serfSection() throws Exception {
        long s = c.send("stats", null);
        assertEquals("", c.error(s));
        return field(c.next(), "serf");
    }

    @Test
    void statsListTheEventHandlersAsTheyAreWhenAsked() throws Exception {
        AtomicReference<Map<String, String>> handlers = new AtomicReference<>(Map.of());
        try (RpcServer withHandlers = RpcServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        serf,
                        "",
                        null,
                        () -> {},
                        handlers::get,
                        new AgentDrops());
                RpcTestClient client = new RpcTestClient(withHandlers.port()).handshake()) {
            assertEquals(0, eventHandlers(client).asMapValue().size());
            handlers.set(Map.of("user:deploy", "/bin/deploy.sh", "*:", "log.sh")); // as a reload would replace them
            Value section = eventHandlers(client);
            assertEquals(2, section.asMapValue().size());
            assertEquals("/bin/deploy.sh", text(field(section, "user:deploy")));
            assertEquals("log.sh", text(field(section, "*:")));
        }
    }

    private static Value eventHandlers(RpcTestClient client) throws Exception {
        long s = client.send("stats", null);
        assertEquals("", client.error(s));
        return field(client.next(), "event_handlers");
    }
}
