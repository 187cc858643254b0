package io.murmur.protocol;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The field encodings shared by every message serializer. Lengths are unsigned varints and are checked against both
 * a limit and the bytes actually left before anything is allocated, so a hostile length cannot make us allocate.
 */
final class Fields {
    private Fields() {}

    static void writeString(Output out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeVarInt(b.length, true);
        out.writeBytes(b);
    }

    /**
     * A length-prefixed UTF-8 string. Names and hosts are nearly always ASCII, which needs no decoder: such a string is
     * made straight from the input's bytes (every gossiped alive message carries two); anything else goes through a
     * strict decoder that rejects malformed UTF-8.
     */
    static String readString(Input in, int maxBytes, String field) {
        int n = readLength(in, maxBytes, field);
        byte[] buffer = in.getBuffer();
        int start = in.position();
        if (isAscii(buffer, start, n)) {
            in.setPosition(start + n);
            return new String(buffer, start, n, StandardCharsets.ISO_8859_1);
        }
        byte[] b = in.readBytes(n);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DecodeFailure(Rejection.MALFORMED, field + " is not UTF-8");
        }
    }

    private static boolean isAscii(byte[] b, int from, int length) {
        for (int i = from, end = from + length; i < end; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    static String readName(Input in, String field) {
        String s = readString(in, NodeInfo.MAX_NAME_BYTES, field);
        if (s.isEmpty()) {
            throw new DecodeFailure(Rejection.MALFORMED, field + " is empty");
        }
        return s;
    }

    static void writeBytes(Output out, Bytes b) {
        out.writeVarInt(b.size(), true);
        out.writeBytes(b.unsafeArray());
    }

    static Bytes readBytes(Input in, int maxBytes, String field) {
        return Bytes.wrap(in.readBytes(readLength(in, maxBytes, field)));
    }

    /** Reads a length or count and checks it against {@code max} and against what is left of the input. */
    static int readLength(Input in, int max, String field) {
        int n = in.readVarInt(true);
        if (n < 0 || n > max) {
            throw new DecodeFailure(Rejection.OVERSIZED, field + " length " + Integer.toUnsignedString(n));
        }
        if (n > remaining(in)) {
            throw new DecodeFailure(Rejection.TRUNCATED, field + " runs past the end");
        }
        return n;
    }

    /** Reads a non-negative count that sizes nothing read after it. */
    static int readCount(Input in, String field) {
        int n = in.readVarInt(true);
        if (n < 0) {
            throw new DecodeFailure(Rejection.MALFORMED, field + " out of range");
        }
        return n;
    }

    static int remaining(Input in) {
        return in.limit() - in.position();
    }

    static void writeIncarnation(Output out, long incarnation) {
        out.writeVarLong(incarnation, true);
    }

    static long readIncarnation(Input in) {
        long v = in.readVarLong(true);
        if (v < 0 || v > Message.MAX_INCARNATION) {
            throw new DecodeFailure(Rejection.MALFORMED, "incarnation out of range");
        }
        return v;
    }

    static void writeAddress(Output out, Address a) {
        writeString(out, a.host());
        out.writeShort(a.port());
    }

    static Address readAddress(Input in, String field) {
        String host = readString(in, Address.MAX_HOST_BYTES, field + ".host");
        if (host.isEmpty()) {
            throw new DecodeFailure(Rejection.MALFORMED, field + ".host is empty");
        }
        return new Address(host, in.readShortUnsigned());
    }

    static void writeVersions(Output out, Versions v) {
        out.writeByte(v.protocolMin());
        out.writeByte(v.protocolMax());
        out.writeByte(v.protocolCur());
        out.writeByte(v.delegateMin());
        out.writeByte(v.delegateMax());
        out.writeByte(v.delegateCur());
    }

    static Versions readVersions(Input in) {
        return new Versions(
                in.readByteUnsigned(),
                in.readByteUnsigned(),
                in.readByteUnsigned(),
                in.readByteUnsigned(),
                in.readByteUnsigned(),
                in.readByteUnsigned());
    }

    static void writeNodeInfo(Output out, NodeInfo n) {
        writeString(out, n.name());
        writeAddress(out, n.address());
        writeBytes(out, n.meta());
        writeVersions(out, n.versions());
    }

    static NodeInfo readNodeInfo(Input in) {
        String name = readName(in, "node.name");
        Address address = readAddress(in, "node.address");
        Bytes meta = readBytes(in, NodeInfo.MAX_META_BYTES, "node.meta");
        return new NodeInfo(name, address, meta, readVersions(in));
    }

    static void writeBoolean(Output out, boolean b) {
        out.writeByte(b ? 1 : 0);
    }

    static boolean readBoolean(Input in, String field) {
        int b = in.readByteUnsigned();
        if (b > 1) {
            throw new DecodeFailure(Rejection.MALFORMED, field + " is not a boolean");
        }
        return b == 1;
    }
}
