package io.murmur.transport.aeron;

import io.murmur.protocol.Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The few bytes in front of every Aeron message: who sent it and what it is. Publications are shared by every node of
 * a JVM, so the sending node cannot be told from the Aeron session; it travels in the message instead.
 *
 * <pre>
 *   0  u8   version (1)
 *   1  u8   kind: 1 packet, 2 request chunk, 3 response chunk, 4 request refused
 *   2  u8   n = length of the sender's host in UTF-8 (1..255)
 *   3  n    host
 *   3+n u16 port (little-endian)
 *   -- packet: the payload follows.
 *   -- the other kinds (the reliable stream) continue with:
 *      i64 correlation id, i32 total message length, i32 offset of this chunk, then the chunk's bytes.
 * </pre>
 *
 * Decoding never throws: bytes from the network that do not fit this layout are a {@link Rejected} value.
 */
final class Envelope {

    static final byte VERSION = 1;

    /** What a frame carries. */
    enum Kind {
        PACKET(1),
        REQUEST(2),
        RESPONSE(3),
        REFUSED(4);

        final byte code;

        Kind(int code) {
            this.code = (byte) code;
        }

        static Kind of(byte code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /** Bytes after the sender prefix on the reliable stream: correlation id, total length, chunk offset. */
    static final int CHUNK_FIELDS_LENGTH = Long.BYTES + Integer.BYTES + Integer.BYTES;

    /** The longest possible prefix: version, kind, host length, a 255-byte host, port. */
    static final int MAX_PREFIX_LENGTH = 3 + Address.MAX_HOST_BYTES + 2;

    private Envelope() {}

    /** What one frame decodes to. */
    sealed interface Frame permits Packet, Chunk, Rejected {}

    /** A packet from {@code from}; its payload is {@code length} bytes at {@code offset} of the decoded buffer. */
    record Packet(Address from, int offset, int length) implements Frame {}

    /**
     * A piece of a reliable-path message: {@code length} bytes at {@code offset} of the decoded buffer, which belong at
     * {@code chunkOffset} of a message of {@code total} bytes.
     */
    record Chunk(Kind kind, Address from, long correlationId, int total, int chunkOffset, int offset, int length)
            implements Frame {}

    /** Bytes that are not a frame of ours. */
    record Rejected(String reason) implements Frame {}

    /** The prefix a node puts in front of every frame of the given kind. */
    static byte[] prefix(Kind kind, Address from) {
        byte[] host = from.host().getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[3 + host.length + 2];
        prefix[0] = VERSION;
        prefix[1] = kind.code;
        prefix[2] = (byte) host.length;
        System.arraycopy(host, 0, prefix, 3, host.length);
        prefix[3 + host.length] = (byte) from.port();
        prefix[4 + host.length] = (byte) (from.port() >>> 8);
        return prefix;
    }

    /** Writes the chunk fields after a prefix of {@code prefixLength} bytes already in {@code buffer}. */
    static int putChunkFields(MutableDirectBuffer buffer, int prefixLength, long correlationId, int total, int offset) {
        buffer.putLong(prefixLength, correlationId, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(prefixLength + Long.BYTES, total, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(prefixLength + Long.BYTES + Integer.BYTES, offset, ByteOrder.LITTLE_ENDIAN);
        return prefixLength + CHUNK_FIELDS_LENGTH;
    }

    /**
     * Decodes the frame of {@code length} bytes at {@code offset}. Chunks announcing more than {@code maxTotal} bytes
     * are rejected.
     */
    static Frame decode(DirectBuffer buffer, int offset, int length, int maxTotal) {
        if (length < 3) {
            return new Rejected("shorter than an envelope");
        }
        if (buffer.getByte(offset) != VERSION) {
            return new Rejected("unknown version " + buffer.getByte(offset));
        }
        Kind kind = Kind.of(buffer.getByte(offset + 1));
        if (kind == null) {
            return new Rejected("unknown kind " + buffer.getByte(offset + 1));
        }
        int hostLength = buffer.getByte(offset + 2) & 0xFF;
        int prefixLength = 3 + hostLength + 2;
        if (hostLength == 0 || prefixLength > length) {
            return new Rejected("bad host length " + hostLength);
        }
        Address from = address(buffer, offset + 3, hostLength);
        if (from == null) {
            return new Rejected("bad sender address");
        }
        int at = offset + prefixLength;
        int remaining = length - prefixLength;
        if (kind == Kind.PACKET) {
            return new Packet(from, at, remaining);
        }
        if (remaining < CHUNK_FIELDS_LENGTH) {
            return new Rejected("truncated chunk header");
        }
        long correlationId = buffer.getLong(at, ByteOrder.LITTLE_ENDIAN);
        int total = buffer.getInt(at + Long.BYTES, ByteOrder.LITTLE_ENDIAN);
        int chunkOffset = buffer.getInt(at + Long.BYTES + Integer.BYTES, ByteOrder.LITTLE_ENDIAN);
        int dataLength = remaining - CHUNK_FIELDS_LENGTH;
        if (total < 0 || total > maxTotal) {
            return new Rejected("bad message length " + total);
        }
        if (chunkOffset < 0 || (long) chunkOffset + dataLength > total) {
            return new Rejected("chunk outside its message");
        }
        return new Chunk(kind, from, correlationId, total, chunkOffset, at + CHUNK_FIELDS_LENGTH, dataLength);
    }

    private static Address address(DirectBuffer buffer, int hostAt, int hostLength) {
        byte[] bytes = new byte[hostLength];
        buffer.getBytes(hostAt, bytes);
        String host;
        try {
            host = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (!Channels.isPlainHost(host)) {
            return null; // it would end up inside an Aeron channel URI when we answer
        }
        int port = buffer.getShort(hostAt + hostLength, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        try {
            return new Address(host, port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
