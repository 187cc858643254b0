package io.murmur.agent.cli;

import io.murmur.agent.rpc.RpcValues;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * A client of Serf's RPC protocol (reference §2.13) for Murmur's CLI: one request at a time, so replies and stream
 * records arrive in order on the one connection. Requests are written with go-msgpack's conventions (strings as
 * {@code str}, byte slices as {@code bin}, structs as maps keyed by Go field names); replies are read with
 * {@link RpcValues}, which accepts either string family. The agents benchmark drives its agents with it too.
 */
public final class RpcClient implements AutoCloseable {

    /** The agent could not be reached, refused a request or answered something unreadable: printed, exit 1. */
    public static final class RpcException extends Exception {
        RpcException(String message) {
            super(message, null, false, false);
        }
    }

    /** Writes a request body. */
    public interface Body {
        void write(MessagePacker p) throws IOException;
    }

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** The errors a Serf agent answers with a header alone, whatever the command (Serf's ipc session rules). */
    private static final java.util.Set<String> HEADER_ONLY_ERRORS = java.util.Set.of(
            "Handshake required",
            "Authentication required",
            "Invalid authentication token",
            "Unsupported command",
            "Unsupported IPC version",
            "Handshake already performed");

    private final Socket socket;
    private final OutputStream out;
    private final MessageUnpacker in;
    private long seq;

    private RpcClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.in = MessagePack.newDefaultUnpacker(socket.getInputStream());
    }

    /** Connects to {@code address} ({@code host:port}), shakes hands and, with a non-empty token, authenticates. */
    public static RpcClient connect(String address, String authKey) throws RpcException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new RpcException("Error connecting to Murmur agent: bad RPC address '" + address + "' (host:port)");
        }
        Socket socket = new Socket();
        RpcClient client;
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            socket.connect(new InetSocketAddress(address.substring(0, colon), port), CONNECT_TIMEOUT_MS);
            client = new RpcClient(socket);
        } catch (IOException | IllegalArgumentException e) {
            closeQuietly(socket);
            throw new RpcException("Error connecting to Murmur agent at " + address + ": " + e.getMessage());
        }
        try {
            client.call("handshake", p -> map(p, "Version", 1));
            if (!authKey.isEmpty()) {
                client.call("auth", p -> map(p, "AuthKey", authKey));
            }
            return client;
        } catch (RpcException e) {
            client.close();
            throw e;
        }
    }

    /** From now on a read that waits longer than {@code timeout} fails (zero: wait for ever, the default). */
    public RpcClient readTimeout(java.time.Duration timeout) throws RpcException {
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return this;
        } catch (IOException e) {
            throw new RpcException("Error talking to the agent: " + e.getMessage());
        }
    }

    /** Sends a request without a reply body and checks its error. */
    public void call(String command, Body body) throws RpcException {
        send(command, body);
        header();
    }

    /**
     * Sends a request and returns its reply body. A reply whose header carries an error still has its body (Serf
     * sends both), which is read before the error is thrown, so the next request on this connection reads its own
     * reply; only a session rule's refusal ("... required") comes without one.
     */
    public RpcValues request(String command, Body body) throws RpcException {
        Answer answer = requestAnswer(command, body);
        if (!answer.error().isEmpty()) {
            throw new RpcException("Error: " + answer.error());
        }
        return answer.body();
    }

    /** A reply whose body follows even when the header carries an error (the key commands). */
    public record Answer(String error, RpcValues body) {}

    public Answer requestAnswer(String command, Body body) throws RpcClient.RpcException {
        send(command, body);
        RpcValues h = next();
        try {
            String error = h.string("Error");
            if (HEADER_ONLY_ERRORS.contains(error)) { // session rules and unknown commands: no body follows
                throw new RpcException("Error: " + error);
            }
            return new Answer(error, next());
        } catch (RpcValues.Malformed e) {
            throw new RpcException("Error: the agent sent a bad header: " + e.getMessage());
        }
    }

    /** Sends a request whose reply body is a map of string maps ({@code stats}). */
    Value requestRaw(String command, Body body) throws RpcException {
        send(command, body);
        header();
        return nextValue();
    }

    /** The next stream record (after its header); null when the agent closed the connection. */
    public RpcValues nextRecord() throws RpcException {
        try {
            if (!in.hasNext()) {
                return null;
            }
        } catch (IOException | MessagePackException e) {
            return null;
        }
        header();
        return next();
    }

    private void send(String command, Body body) throws RpcException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(2);
            p.packString("Command");
            p.packString(command);
            p.packString("Seq");
            p.packLong(++seq);
            if (body != null) {
                body.write(p);
            }
            out.write(p.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new RpcException("Error talking to the agent: " + e.getMessage());
        }
    }

    /** Reads a response header; a non-empty {@code Error} becomes the exception's message. */
    private void header() throws RpcException {
        RpcValues h = next();
        try {
            String error = h.string("Error");
            if (!error.isEmpty()) {
                throw new RpcException("Error: " + error);
            }
        } catch (RpcValues.Malformed e) {
            throw new RpcException("Error: the agent sent a bad header: " + e.getMessage());
        }
    }

    private RpcValues next() throws RpcException {
        try {
            return RpcValues.of(nextValue());
        } catch (RpcValues.Malformed e) {
            throw new RpcException("Error: the agent sent a bad reply: " + e.getMessage());
        }
    }

    private Value nextValue() throws RpcException {
        try {
            if (!in.hasNext()) {
                throw new RpcException("Error: the agent closed the connection");
            }
            return in.unpackValue();
        } catch (IOException | MessagePackException e) {
            throw new RpcException("Error reading from the agent: " + e.getMessage());
        }
    }

    /** Writes a struct of {@code key, value} pairs: strings, numbers, booleans, byte arrays, string lists and maps. */
    public static void map(MessagePacker p, Object... keysAndValues) throws IOException {
        p.packMapHeader(keysAndValues.length / 2);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.packString((String) keysAndValues[i]);
            pack(p, keysAndValues[i + 1]);
        }
    }

    private static void pack(MessagePacker p, Object v) throws IOException {
        if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof Integer || v instanceof Long) {
            p.packLong(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof byte[] bytes) {
            p.packBinaryHeader(bytes.length);
            p.writePayload(bytes);
        } else if (v instanceof List<?> list) {
            p.packArrayHeader(list.size());
            for (Object o : list) {
                pack(p, o);
            }
        } else if (v instanceof Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pack(p, e.getKey());
                pack(p, e.getValue());
            }
        } else if (v == null) {
            p.packNil();
        } else {
            throw new IllegalArgumentException("cannot pack " + v.getClass());
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
