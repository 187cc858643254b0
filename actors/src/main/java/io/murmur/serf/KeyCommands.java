package io.murmur.serf;

import io.murmur.protocol.Keyring;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pure core of Serf's cluster-wide key management (Serf's {@code KeyManager}, reference §2.10): an operator's
 * install, use, remove or list runs as an internal query {@code _serf_<op>} to every member; each member applies it
 * to its own keyring ({@link #apply}) and answers a {@link NodeKeyResponse}; the originator folds the answers into a
 * {@link KeyResponse}, which succeeded when every member answered and none failed.
 *
 * <p>Left to the caller (the serf actor): running the query; after a successful install, use or remove, rewriting
 * the keyring file ({@code io.murmur.store.KeyringFile.write}) and answering {@link NodeKeyResponse#failure} if that
 * fails, as Serf does; and counting an answer that {@link #decodeResponse} rejects as a failure of that node.
 *
 * <p>Payloads are our own binary format, version byte first, lengths as unsigned LEB128 varints, text as UTF-8:
 * <pre>
 * request:  [1][len][key bytes]                          (no key bytes for list-keys)
 * response: [1][flags: bit 0 = result][len][message][count]([len][base64 key])*[len][base64 primary key]
 * </pre>
 * Decoding never throws: anything else, trailing bytes included, is {@code Optional.empty()}.
 */
public final class KeyCommands {

    private KeyCommands() {}

    /** What every internal query name starts with. */
    public static final String QUERY_PREFIX = "_serf_";

    /** Serf's default limit on a query response payload. */
    public static final int RESPONSE_SIZE_LIMIT = 1024;

    /** The smallest limit {@link #encodeResponse(NodeKeyResponse, int)} takes (as {@code SerfConfig}). */
    public static final int MIN_RESPONSE_SIZE_LIMIT = 64;

    private static final int VERSION = 1;

    /** The four key operations and their internal query names. */
    public enum Op {
        INSTALL("install-key"),
        USE("use-key"),
        REMOVE("remove-key"),
        LIST("list-keys");

        private final String opName;

        Op(String opName) {
            this.opName = opName;
        }

        /** Serf's name of the operation, e.g. {@code install-key}. */
        public String opName() {
            return opName;
        }

        /** The internal query name, e.g. {@code _serf_install-key}. */
        public String queryName() {
            return QUERY_PREFIX + opName;
        }

        /** Whether the operation changes the keyring (and so the keyring file). */
        public boolean changesKeyring() {
            return this != LIST;
        }

        /** The operation whose internal query is called {@code queryName}, if any. */
        public static Optional<Op> fromQueryName(String queryName) {
            return Arrays.stream(values())
                    .filter(op -> op.queryName().equals(queryName))
                    .findFirst();
        }
    }

    /**
     * One member's answer. {@code keys} (base64, primary first) and {@code primaryKey} are filled for list-keys only;
     * {@code message} is the error of a failed member, or a note (such as truncation) from a successful one.
     */
    public record NodeKeyResponse(boolean result, String message, List<String> keys, String primaryKey) {
        public NodeKeyResponse {
            message = message == null ? "" : message;
            keys = List.copyOf(keys);
            primaryKey = primaryKey == null ? "" : primaryKey;
        }

        public static NodeKeyResponse success() {
            return new NodeKeyResponse(true, "", List.of(), "");
        }

        public static NodeKeyResponse failure(String message) {
            return new NodeKeyResponse(false, message, List.of(), "");
        }
    }

    /**
     * The cluster's answer, as Serf's {@code KeyResponse}: {@code messages} maps a member to its error (or note),
     * {@code keys} and {@code primaryKeys} map a base64 key to how many members hold it or encrypt with it.
     */
    public record KeyResponse(
            Map<String, String> messages,
            int numNodes,
            int numResp,
            int numErr,
            Map<String, Integer> keys,
            Map<String, Integer> primaryKeys) {

        /** Whether every member answered and none failed; otherwise the operation failed (Serf returns an error). */
        public boolean ok() {
            return numErr == 0 && numResp == numNodes;
        }

        /** Folds the decoded answers, by member name, of a query sent to {@code numNodes} members. */
        public static KeyResponse aggregate(int numNodes, Map<String, NodeKeyResponse> responses) {
            Map<String, String> messages = new TreeMap<>();
            Map<String, Integer> keys = new TreeMap<>();
            Map<String, Integer> primaryKeys = new TreeMap<>();
            int numErr = 0;
            for (Map.Entry<String, NodeKeyResponse> e : responses.entrySet()) {
                NodeKeyResponse r = e.getValue();
                if (!r.result()) {
                    numErr++;
                    messages.put(e.getKey(), r.message());
                    continue;
                }
                if (!r.message().isEmpty()) {
                    messages.put(e.getKey(), r.message());
                }
                new LinkedHashSet<>(r.keys()).forEach(k -> keys.merge(k, 1, Integer::sum));
                if (!r.primaryKey().isEmpty()) {
                    primaryKeys.merge(r.primaryKey(), 1, Integer::sum);
                }
            }
            return new KeyResponse(
                    Collections.unmodifiableMap(messages),
                    numNodes,
                    responses.size(),
                    numErr,
                    Collections.unmodifiableMap(keys),
                    Collections.unmodifiableMap(primaryKeys));
        }
    }

    /**
     * Applies {@code op} with the key in {@code requestPayload} to {@code keyring} (null when this member has no
     * encryption). Never throws: an error is a failed response with its message.
     */
    public static NodeKeyResponse apply(Keyring keyring, Op op, byte[] requestPayload) {
        if (keyring == null) {
            return NodeKeyResponse.failure("no keyring to " + op.opName() + ": encryption is not enabled");
        }
        Optional<byte[]> key = decodeRequest(requestPayload);
        if (key.isEmpty()) {
            return NodeKeyResponse.failure("malformed " + op.opName() + " request");
        }
        try {
            switch (op) {
                case INSTALL -> keyring.install(key.get());
                case USE -> keyring.use(key.get());
                case REMOVE -> keyring.remove(key.get());
                case LIST -> {
                    List<String> keys =
                            keyring.keys().stream().map(Keyring::encodeKey).toList();
                    return new NodeKeyResponse(true, "", keys, keys.get(0));
                }
            }
            return NodeKeyResponse.success();
        } catch (RuntimeException e) {
            return NodeKeyResponse.failure("failed to " + op.opName() + ": " + e.getMessage());
        }
    }

    /** The request for {@code op}: {@code key} for install, use and remove; null or empty for list-keys. */
    public static byte[] encodeRequest(Op op, byte[] key) {
        byte[] k = key == null ? new byte[0] : key;
        if (op == Op.LIST && k.length > 0) {
            throw new IllegalArgumentException("list-keys takes no key");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 + k.length);
        out.write(VERSION);
        writeBytes(out, k);
        return out.toByteArray();
    }

    /** The key a request carries (empty for list-keys), or empty for a payload that is not a request. */
    public static Optional<byte[]> decodeRequest(byte[] payload) {
        try {
            Reader in = new Reader(payload);
            byte[] key = in.bytes();
            in.end();
            return Optional.of(key);
        } catch (Malformed e) {
            return Optional.empty();
        }
    }

    /** {@link #encodeResponse(NodeKeyResponse, int)} under Serf's default {@value #RESPONSE_SIZE_LIMIT}-byte limit. */
    public static byte[] encodeResponse(NodeKeyResponse response) {
        return encodeResponse(response, RESPONSE_SIZE_LIMIT);
    }

    /**
     * The response in at most {@code limit} bytes. As Serf does for list-keys, a key list that does not fit is cut to
     * the longest prefix that does (the primary key travels in its own field either way), and the message says so. A
     * message too long even without keys is cut.
     *
     * @throws IllegalArgumentException when {@code limit} is below {@value #MIN_RESPONSE_SIZE_LIMIT}, or the primary
     *     key alone does not fit (never so for a real key)
     */
    public static byte[] encodeResponse(NodeKeyResponse response, int limit) {
        if (limit < MIN_RESPONSE_SIZE_LIMIT) {
            throw new IllegalArgumentException("a response limit is at least " + MIN_RESPONSE_SIZE_LIMIT + " bytes");
        }
        byte[] whole = encode(response);
        if (whole.length <= limit) {
            return whole;
        }
        List<String> keys = response.keys();
        int fit = 0; // a first guess from the keys' sizes alone, then walk down until the note fits too
        for (int size = 0; fit < keys.size() && (size += 1 + keys.get(fit).length()) <= limit; ) {
            fit++;
        }
        for (; ; fit--) {
            String message = response.message();
            if (!keys.isEmpty()) {
                String note = "truncated key list: showing the first " + fit + " of " + keys.size()
                        + " keys to fit the " + limit + "-byte response limit";
                message = message.isEmpty() ? note : message + "; " + note;
            }
            NodeKeyResponse cut =
                    new NodeKeyResponse(response.result(), "", keys.subList(0, fit), response.primaryKey());
            int room = limit - encode(cut).length - 2; // 2: the message's length may take up to 3 bytes, not 1
            if (fit == 0 || message.getBytes(StandardCharsets.UTF_8).length <= room) {
                if (room < 0) {
                    throw new IllegalArgumentException("the response does not fit in " + limit + " bytes");
                }
                return encode(new NodeKeyResponse(cut.result(), clipUtf8(message, room), cut.keys(), cut.primaryKey()));
            }
        }
    }

    /** The response in {@code payload}, or empty for a payload that is not one. */
    public static Optional<NodeKeyResponse> decodeResponse(byte[] payload) {
        try {
            Reader in = new Reader(payload);
            int flags = in.u8();
            if ((flags & ~1) != 0) {
                throw new Malformed();
            }
            String message = in.string();
            int count = in.varint();
            if (count > payload.length) {
                throw new Malformed(); // each key takes at least its length byte: checked before allocating
            }
            String[] keys = new String[count];
            for (int i = 0; i < count; i++) {
                keys[i] = in.string();
            }
            String primaryKey = in.string();
            in.end();
            return Optional.of(new NodeKeyResponse((flags & 1) != 0, message, List.of(keys), primaryKey));
        } catch (Malformed e) {
            return Optional.empty();
        }
    }

    private static byte[] encode(NodeKeyResponse r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(VERSION);
        out.write(r.result() ? 1 : 0);
        writeBytes(out, r.message().getBytes(StandardCharsets.UTF_8));
        writeVarint(out, r.keys().size());
        r.keys().forEach(k -> writeBytes(out, k.getBytes(StandardCharsets.UTF_8)));
        writeBytes(out, r.primaryKey().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The longest prefix of {@code text} whose UTF-8 encoding takes at most {@code maxBytes} bytes. */
    private static String clipUtf8(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes > maxBytes) {
                break;
            }
            end += Character.charCount(cp);
        }
        return text.substring(0, end);
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    /** Bad input, caught inside this class only; no stack trace, since it is an expected outcome. */
    private static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }

    /** Reads a payload after checking its version byte; every read checks the bytes actually present. */
    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) throws Malformed {
            this.b = b == null ? new byte[0] : b;
            if (u8() != VERSION) {
                throw new Malformed();
            }
        }

        int u8() throws Malformed {
            if (pos >= b.length) {
                throw new Malformed();
            }
            return b[pos++] & 0xFF;
        }

        int varint() throws Malformed {
            long value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int next = u8();
                value |= (long) (next & 0x7F) << shift;
                if ((next & 0x80) == 0) {
                    if (value > Integer.MAX_VALUE) {
                        throw new Malformed();
                    }
                    return (int) value;
                }
            }
            throw new Malformed();
        }

        byte[] bytes() throws Malformed {
            int n = varint();
            if (n > b.length - pos) {
                throw new Malformed();
            }
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        String string() throws Malformed {
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes()))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new Malformed();
            }
        }

        void end() throws Malformed {
            if (pos != b.length) {
                throw new Malformed();
            }
        }
    }
}
