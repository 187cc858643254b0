package io.murmur.agent.rpc;

import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import io.murmur.protocol.Keyring;
import io.murmur.serf.KeyCommands;
import io.murmur.serf.QueryParams;
import io.murmur.serf.SerfMember;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection speaking Serf's RPC protocol (reference §2.13): a {@code requestHeader{Command, Seq}} and,
 * for the commands that take one, a body; a {@code responseHeader{Seq, Error}} and, for the commands that return one,
 * a body back. Runs on its own thread and answers one request at a time, as Serf's agent does; streams are written by
 * the {@link Outbound} writer. A request that cannot be decoded closes the connection; nothing a client sends throws
 * out of {@link #run}.
 */
final class RpcSession implements Runnable {

    static final String UNSUPPORTED_COMMAND = "Unsupported command";
    static final String UNSUPPORTED_VERSION = "Unsupported IPC version";
    static final String DUPLICATE_HANDSHAKE = "Handshake already performed";
    static final String HANDSHAKE_REQUIRED = "Handshake required";
    static final String AUTH_REQUIRED = "Authentication required";
    static final String INVALID_AUTH_TOKEN = "Invalid authentication token";
    static final String INTERNAL_QUERY_PREFIX = "_serf_";
    static final String INTERNAL_QUERY_REFUSED = "Queries cannot contain the '" + INTERNAL_QUERY_PREFIX + "' prefix";

    private static final Logger LOG = LoggerFactory.getLogger(RpcSession.class);
    private static final int DEFAULT_PORT = 7946;

    /** The commands that read a body after their header. */
    private static final Set<String> WITH_BODY = Set.of(
            "handshake",
            "auth",
            "event",
            "force-leave",
            "join",
            "members-filtered",
            "tags",
            "stream",
            "monitor",
            "stop",
            "query",
            "respond",
            "install-key",
            "use-key",
            "remove-key",
            "get-coordinate");

    private final Socket socket;
    private final AgentSerf serf;
    private final String authKey;
    private final Runnable onLeave;
    private final Supplier<Map<String, String>> eventHandlers;
    private final Outbound out;
    private final SessionStreams streams;
    private int version;
    private boolean authenticated;

    /**
     * @param authKey the token clients must present ({@code -rpc-auth}); empty for none
     * @param onLeave run after a {@code leave} was answered: the agent shuts down
     * @param eventHandlers the {@code stats} reply's {@code event_handlers} section, as it is when asked
     * @param drops where the records its client had no room for are counted
     */
    RpcSession(
            Socket socket,
            AgentSerf serf,
            String authKey,
            LogMonitor logs,
            Runnable onLeave,
            Supplier<Map<String, String>> eventHandlers,
            AgentDrops drops) {
        this.socket = socket;
        this.serf = serf;
        this.authKey = authKey;
        this.onLeave = onLeave;
        this.eventHandlers = eventHandlers;
        this.out = new Outbound(socket, "serf-rpc-writer-" + socket.getRemoteSocketAddress());
        this.streams = new SessionStreams(serf, logs, out, drops);
    }

    @Override
    public void run() {
        out.start();
        // Not closed here: closing a socket's stream closes the socket, and the writer may still have replies to send.
        try {
            MessageUnpacker in = MessagePack.newDefaultUnpacker(new BufferedInputStream(socket.getInputStream()));
            boolean open = true;
            while (open && in.hasNext()) {
                RpcValues header = RpcValues.of(in.unpackValue());
                open = handle(header.string("Command"), header.integer("Seq"), in);
            }
        } catch (IOException | MessagePackException e) {
            LOG.debug("RPC client {} closed: {}", socket.getRemoteSocketAddress(), e.toString());
        } catch (RpcValues.Malformed e) {
            LOG.warn(
                    "RPC client {} sent a malformed request ({}): closing",
                    socket.getRemoteSocketAddress(),
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("RPC session with {} failed: closing it", socket.getRemoteSocketAddress(), e);
        } finally {
            close();
        }
    }

    /** Ends the session: streams stop, queued frames are written, the socket closes. */
    void close() {
        streams.close();
        out.end();
    }

    /** Closes the socket now (agent shutdown). */
    void abort() {
        streams.close();
        out.closeSocket();
    }

    /** Handles one request; false closes the connection. */
    private boolean handle(String command, long seq, MessageUnpacker in) throws IOException, RpcValues.Malformed {
        if (!command.equals("handshake") && version == 0) {
            reply(seq, HANDSHAKE_REQUIRED);
            return false;
        }
        if (!authKey.isEmpty() && !authenticated && !command.equals("handshake") && !command.equals("auth")) {
            if (WITH_BODY.contains(command)) {
                in.unpackValue(); // skipped, so that the next header is read as a header
            }
            reply(seq, AUTH_REQUIRED);
            return true;
        }
        RpcValues body = WITH_BODY.contains(command) ? RpcValues.of(in.unpackValue()) : null;
        switch (command) {
            case "handshake" -> handshake(seq, body);
            case "auth" -> {
                // Constant time: how long a wrong token takes to refuse says nothing about how much of it was right.
                authenticated = java.security.MessageDigest.isEqual(
                        authKey.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        body.string("AuthKey").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                reply(seq, authenticated ? "" : INVALID_AUTH_TOKEN);
            }
            case "event" ->
                reply(
                        seq,
                        serf.userEvent(body.string("Name"), body.bytes("Payload"), body.bool("Coalesce"))
                                .orElse(""));
            case "force-leave" ->
                reply(
                        seq,
                        serf.forceLeave(body.string("Node"), body.bool("Prune")).orElse(""));
            case "join" -> join(seq, body);
            case "members" ->
                out.reply(RpcCodec.frame(seq, "", RpcCodec.members(serf.members(), RpcCodec.Local.of(serf))));
            case "members-filtered" -> {
                return membersFiltered(seq, body);
            }
            case "tags" -> tags(seq, body);
            case "stream" -> streams.stream(seq, body.string("Type"));
            case "monitor" -> streams.monitor(seq, body.string("LogLevel"));
            case "stop" -> streams.stop(seq, body.integer("Stop"));
            case "query" -> query(seq, body);
            case "respond" -> streams.respond(seq, body.integer("ID"), body.bytes("Payload"));
            case "install-key" -> keys(seq, KeyCommands.Op.INSTALL, body.string("Key"));
            case "use-key" -> keys(seq, KeyCommands.Op.USE, body.string("Key"));
            case "remove-key" -> keys(seq, KeyCommands.Op.REMOVE, body.string("Key"));
            case "list-keys" -> keys(seq, KeyCommands.Op.LIST, null);
            case "stats" ->
                out.reply(RpcCodec.frame(seq, "", RpcCodec.stats(AgentStats.of(serf, eventHandlers.get()))));
            case "get-coordinate" ->
                out.reply(RpcCodec.frame(
                        seq,
                        "",
                        RpcCodec.coordinate(serf.coordinate(body.string("Node")).orElse(null))));
            case "leave" -> {
                leave(seq);
                return false;
            }
            default -> {
                reply(seq, UNSUPPORTED_COMMAND);
                return false;
            }
        }
        return true;
    }

    private void handshake(long seq, RpcValues body) throws RpcValues.Malformed {
        if (version != 0) {
            reply(seq, DUPLICATE_HANDSHAKE);
            return;
        }
        long requested = body.integer("Version");
        if (requested != 1) {
            reply(seq, UNSUPPORTED_VERSION);
            return;
        }
        version = 1;
        reply(seq, "");
    }

    private void join(long seq, RpcValues body) throws RpcValues.Malformed {
        List<Address> seeds = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String s : body.stringList("Existing")) {
            try {
                seeds.add(s.indexOf(':') < 0 ? new Address(s, DEFAULT_PORT) : Address.parse(s));
            } catch (IllegalArgumentException e) {
                bad.add(s + ": " + e.getMessage());
            }
        }
        JoinResult result = seeds.isEmpty() ? new JoinResult(0, Map.of()) : serf.join(seeds, !body.bool("Replay"));
        String error = "";
        if (result.joined() == 0) {
            List<String> problems = new ArrayList<>(bad);
            result.failures().forEach((address, why) -> problems.add(address + ": " + why));
            error = problems.size() + " error(s) occurred: " + String.join("; ", problems);
        }
        out.reply(RpcCodec.frame(seq, error, RpcCodec.join(result.joined())));
    }

    /** Filters with anchored regular expressions; an invalid one closes the connection unanswered, as Serf does. */
    private boolean membersFiltered(long seq, RpcValues body) throws RpcValues.Malformed {
        Map<String, Pattern> tagPatterns = new TreeMap<>();
        Pattern status;
        Pattern name;
        try {
            for (Map.Entry<String, String> e : body.stringMap("Tags").entrySet()) {
                tagPatterns.put(e.getKey(), Pattern.compile("^" + e.getValue() + "$"));
            }
            String s = body.string("Status");
            String n = body.string("Name");
            status = s.isEmpty() ? null : Pattern.compile("^" + s + "$");
            name = n.isEmpty() ? null : Pattern.compile("^" + n + "$");
        } catch (PatternSyntaxException e) {
            LOG.debug("members-filtered with an invalid pattern: {}", e.getMessage());
            return false;
        }
        List<SerfMember> matching = new ArrayList<>();
        for (SerfMember m : serf.members()) {
            boolean tagsMatch = tagPatterns.entrySet().stream().allMatch(e -> {
                String value = m.tags().get(e.getKey());
                return value != null && e.getValue().matcher(value).matches();
            });
            if (tagsMatch
                    && (status == null || status.matcher(m.status().serfName()).matches())
                    && (name == null || name.matcher(m.name()).matches())) {
                matching.add(m);
            }
        }
        out.reply(RpcCodec.frame(seq, "", RpcCodec.members(matching, RpcCodec.Local.of(serf))));
        return true;
    }

    private void tags(long seq, RpcValues body) throws RpcValues.Malformed {
        Map<String, String> tags = new TreeMap<>(serf.members().stream()
                .filter(m -> m.name().equals(serf.name()))
                .findFirst()
                .map(SerfMember::tags)
                .orElse(Map.of()));
        tags.putAll(body.stringMap("Tags"));
        body.stringList("DeleteTags").forEach(tags::remove);
        String error;
        try {
            error = serf.setTags(tags).orElse("");
        } catch (IllegalArgumentException e) {
            error = e.getMessage(); // the tags do not fit the member's metadata
        }
        reply(seq, error);
    }

    private void query(long seq, RpcValues body) throws RpcValues.Malformed {
        String name = body.string("Name");
        byte[] payload = body.bytes("Payload");
        if (isRefusedInternalQuery(name, payload)) {
            reply(seq, INTERNAL_QUERY_REFUSED);
            return;
        }
        long relays = body.integer("RelayFactor");
        long timeoutNanos = body.integer("Timeout");
        if (relays < 0 || relays > 5 || timeoutNanos < 0) {
            reply(seq, relays < 0 || relays > 5 ? "relay factor must be within 0..5" : "negative timeout");
            return;
        }
        QueryParams params = new QueryParams(
                body.stringList("FilterNodes"),
                body.stringMap("FilterTags"),
                body.bool("RequestAck"),
                (int) relays,
                Duration.ofNanos(timeoutNanos));
        streams.query(seq, name, payload, params);
    }

    /**
     * Serf's agent keeps the internal queries ({@code _serf_} names: key operations, name conflicts) to itself: a client
     * may ask only {@code _serf_ping} without a payload, which is what {@code serf reachability} sends. A payload that
     * is nil, absent or empty counts as none (Serf 0.8.2 accepts {@code serf query _serf_ping ""} as well). User events
     * have no such rule in Serf: an event may be named {@code _serf_...}.
     */
    static boolean isRefusedInternalQuery(String name, byte[] payload) {
        return name.startsWith(INTERNAL_QUERY_PREFIX)
                && !(name.equals(INTERNAL_QUERY_PREFIX + "ping") && payload.length == 0);
    }

    private void keys(long seq, KeyCommands.Op op, String key) {
        byte[] raw = null;
        if (key != null) {
            try {
                raw = Keyring.decodeKey(key);
            } catch (IllegalArgumentException e) {
                out.reply(RpcCodec.frame(
                        seq,
                        e.getMessage(),
                        RpcCodec.keys(new KeyCommands.KeyResponse(Map.of(), 0, 0, 0, Map.of(), Map.of()), false)));
                return;
            }
        }
        KeyCommands.KeyResponse r = serf.keyOperation(op, raw);
        String error = "";
        if (r.numErr() != 0) {
            error = r.numErr() + "/" + r.numNodes() + " nodes reported failure";
        } else if (r.numResp() != r.numNodes()) {
            error = r.numResp() + "/" + r.numNodes() + " nodes reported success";
        }
        out.reply(RpcCodec.frame(seq, error, RpcCodec.keys(r, op == KeyCommands.Op.LIST)));
    }

    /** Replies once the leave is done, makes sure the reply is written, then lets the agent shut down. */
    private void leave(long seq) {
        LOG.info("Graceful leave triggered over RPC");
        reply(seq, serf.leave().orElse(""));
        close();
        out.awaitWritten(5_000);
        onLeave.run();
    }

    private void reply(long seq, String error) {
        out.reply(RpcCodec.frame(seq, error, null));
    }
}
