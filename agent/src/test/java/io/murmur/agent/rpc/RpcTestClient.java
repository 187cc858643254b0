package io.murmur.agent.rpc;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** A bare Serf RPC client for tests: writes headers and bodies as go-msgpack does, reads frames back as values. */
final class RpcTestClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final MessageUnpacker in;
    private long seq;

    RpcTestClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = MessagePack.newDefaultUnpacker(socket.getInputStream());
    }

    /** Sends a request (body null: none) and returns its seq. */
    long send(String command, Value body) throws IOException {
        long s = ++seq;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packValue(map("Command", ValueFactory.newString(command), "Seq", ValueFactory.newInteger(s)));
            if (body != null) {
                p.packValue(body);
            }
            raw(p.toByteArray());
        }
        return s;
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next header's Error, after checking its Seq. */
    String error(long expectedSeq) throws IOException {
        Map<Value, Value> header = next().asMapValue().map();
        long s = header.get(ValueFactory.newString("Seq")).asIntegerValue().toLong();
        if (s != expectedSeq) {
            throw new AssertionError("expected seq " + expectedSeq + ", got " + s);
        }
        return header.get(ValueFactory.newString("Error")).asStringValue().asString();
    }

    Value next() throws IOException {
        return in.unpackValue();
    }

    /** Handshake with version 1, asserting it succeeds. */
    RpcTestClient handshake() throws IOException {
        long s = send("handshake", map("Version", ValueFactory.newInteger(1)));
        String e = error(s);
        if (!e.isEmpty()) {
            throw new AssertionError("handshake failed: " + e);
        }
        return this;
    }

    /** Whether the server closed the connection (end of stream before the next object). */
    boolean closedByServer() throws IOException {
        try {
            return !in.hasNext();
        } catch (SocketTimeoutException e) {
            return false;
        } catch (MessageInsufficientBufferException | IOException e) {
            return true;
        }
    }

    /** A map value from alternating string keys and values. */
    static Value map(Object... kv) {
        Value[] entries = new Value[kv.length];
        for (int i = 0; i < kv.length; i += 2) {
            entries[i] = ValueFactory.newString((String) kv[i]);
            entries[i + 1] = (Value) kv[i + 1];
        }
        return ValueFactory.newMap(entries);
    }

    static Value str(String s) {
        return ValueFactory.newString(s);
    }

    static Value bin(byte[] b) {
        return ValueFactory.newBinary(b);
    }

    /** A field of a map value. */
    static Value field(Value map, String name) {
        return map.asMapValue().map().get(ValueFactory.newString(name));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
