package io.murmur.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.util.List;
import java.util.Objects;

/**
 * Murmur's wire codec: Kryo with registration required, fixed registration ids and hand-written serializers.
 *
 * <p>Fixed-width numbers are little-endian (Kryo's byte order); lengths, counts and incarnations are unsigned varints.
 *
 * <p>A frame is {@code [magic 0x4D][version 1][flags 0][message]}; a message is the Kryo registration id as a varint
 * (id + 2, as Kryo writes classes) followed by the fields. A compound message holds its parts as varint-length
 * prefixed messages, so a packet can be assembled from messages encoded once, when they were queued.
 *
 * <p>Decoding never throws: truncated, oversized, malformed or unknown input comes back as {@link Decoded.Rejected}.
 * The codec is thread-safe; Kryo instances are pooled.
 */
public final class Codec {

    public static final byte MAGIC = 0x4D;
    public static final byte VERSION = 1;
    /** Bytes of the frame header: magic, version, flags. */
    public static final int HEADER_BYTES = 3;
    /** Kryo writes class registration ids shifted by this (0 and 1 mean null and class-by-name). */
    private static final int KRYO_ID_SHIFT = 2;

    private static final int COMPOUND_ID = 28;

    private final Limits limits;
    private final Pool<Kryo> kryos;

    public Codec() {
        this(Limits.DEFAULT);
    }

    public Codec(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.kryos = kryoPool(64, kryo -> Serializers.register(kryo, limits));
    }

    /**
     * A thread-safe pool of Kryo instances with registration required and references off, each set up by
     * {@code register} (the codecs' fixed registrations).
     */
    static Pool<Kryo> kryoPool(int maximumCapacity, java.util.function.Consumer<Kryo> register) {
        return new Pool<>(true, false, maximumCapacity) {
            @Override
            protected Kryo create() {
                Kryo kryo = new Kryo();
                kryo.setRegistrationRequired(true);
                kryo.setReferences(false);
                register.accept(kryo);
                return kryo;
            }
        };
    }

    public Limits limits() {
        return limits;
    }

    /** The message alone (no frame header), as queued for piggy-backing and as a compound part. */
    public byte[] encode(Message message) {
        Kryo kryo = kryos.obtain();
        try {
            return encodeBody(kryo, message, limits.maxStreamBytes());
        } finally {
            kryos.free(kryo);
        }
    }

    /** A whole frame holding one message. */
    public byte[] frame(Message message) {
        byte[] body = encode(message);
        byte[] frame = new byte[HEADER_BYTES + body.length];
        writeHeader(frame);
        System.arraycopy(body, 0, frame, HEADER_BYTES, body.length);
        return frame;
    }

    /**
     * A whole frame from messages already encoded by {@link #encode}: the message itself when there is one, a compound
     * otherwise. Byte-identical to {@code frame(new Compound(parts))}.
     */
    public byte[] frame(List<byte[]> encodedMessages) {
        if (encodedMessages.isEmpty()) {
            throw new IllegalArgumentException("no messages");
        }
        if (encodedMessages.size() == 1) {
            byte[] body = encodedMessages.get(0);
            byte[] frame = new byte[HEADER_BYTES + body.length];
            writeHeader(frame);
            System.arraycopy(body, 0, frame, HEADER_BYTES, body.length);
            return frame;
        }
        if (encodedMessages.size() > limits.maxCompoundParts()) {
            throw new IllegalArgumentException("more than " + limits.maxCompoundParts() + " parts");
        }
        int size = HEADER_BYTES + compoundOverhead(encodedMessages.size());
        for (byte[] m : encodedMessages) {
            size += partOverhead(m.length) + m.length;
        }
        Output out = new Output(size);
        out.writeByte(MAGIC);
        out.writeByte(VERSION);
        out.writeByte(0);
        out.writeVarInt(COMPOUND_ID + KRYO_ID_SHIFT, true);
        out.writeVarInt(encodedMessages.size(), true);
        for (byte[] m : encodedMessages) {
            out.writeVarInt(m.length, true);
            out.writeBytes(m);
        }
        return out.toBytes();
    }

    /** Bytes a compound adds before its parts (type id and part count), for packet budgeting. */
    public static int compoundOverhead(int parts) {
        return 1 + Output.varIntLength(parts, true);
    }

    /** Bytes a compound adds in front of a part of {@code length} bytes. */
    public static int partOverhead(int length) {
        return Output.varIntLength(length, true);
    }

    /** Decodes a packet received on the packet path. */
    public Decoded decodePacket(byte[] buffer, int offset, int length) {
        return decodeFrame(buffer, offset, length, limits.maxPacketBytes());
    }

    public Decoded decodePacket(byte[] packet) {
        return decodePacket(packet, 0, packet.length);
    }

    /** Decodes a message received on the reliable path, which allows larger messages. */
    public Decoded decodeStream(byte[] buffer, int offset, int length) {
        return decodeFrame(buffer, offset, length, limits.maxStreamBytes());
    }

    public Decoded decodeStream(byte[] message) {
        return decodeStream(message, 0, message.length);
    }

    private Decoded decodeFrame(byte[] buffer, int offset, int length, int maxBytes) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return new Decoded.Rejected(Rejection.EMPTY, "no bytes");
        }
        if (length > maxBytes) {
            return new Decoded.Rejected(Rejection.OVERSIZED, length + " bytes, limit " + maxBytes);
        }
        if (buffer[offset] != MAGIC) {
            return new Decoded.Rejected(Rejection.BAD_MAGIC, String.format("first byte 0x%02x", buffer[offset]));
        }
        if (length < HEADER_BYTES) {
            return new Decoded.Rejected(Rejection.TRUNCATED, "short header");
        }
        if (buffer[offset + 1] != VERSION) {
            return new Decoded.Rejected(Rejection.UNSUPPORTED_VERSION, "frame version " + buffer[offset + 1]);
        }
        if (buffer[offset + 2] != 0) {
            return new Decoded.Rejected(
                    Rejection.UNSUPPORTED_FLAGS, String.format("frame flags 0x%02x", buffer[offset + 2]));
        }
        Kryo kryo = kryos.obtain();
        try {
            Input in = new Input(buffer, offset + HEADER_BYTES, length - HEADER_BYTES);
            Message message = readBody(kryo, in, true);
            if (in.position() != in.limit()) {
                return new Decoded.Rejected(Rejection.TRAILING_BYTES, (in.limit() - in.position()) + " bytes left");
            }
            return new Decoded.Ok(message);
        } catch (DecodeFailure e) {
            return new Decoded.Rejected(e.reason, e.getMessage());
        } catch (KryoException e) {
            String detail = String.valueOf(e.getMessage());
            return new Decoded.Rejected(
                    detail.contains("underflow") ? Rejection.TRUNCATED : Rejection.MALFORMED, detail);
        } catch (RuntimeException e) {
            // A record constructor refused a value (for example a port or version out of range).
            return new Decoded.Rejected(Rejection.MALFORMED, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            kryos.free(kryo);
        }
    }

    private static void writeHeader(byte[] frame) {
        frame[0] = MAGIC;
        frame[1] = VERSION;
        frame[2] = 0;
    }

    static byte[] encodeBody(Kryo kryo, Message message, int maxBytes) {
        Objects.requireNonNull(message, "message");
        Output out = new Output(128, maxBytes);
        try {
            kryo.writeClass(out, message.getClass());
            kryo.writeObject(out, message);
        } catch (KryoException e) {
            throw new IllegalArgumentException(
                    message.getClass().getSimpleName() + " does not fit in " + maxBytes + " bytes", e);
        }
        return out.toBytes();
    }

    /**
     * Reads one message. The registration id is read here rather than through Kryo's class resolver, so that an
     * unknown id is a clean rejection and a class name on the wire is never looked up.
     */
    static Message readBody(Kryo kryo, Input in, boolean allowCompound) {
        int id = in.readVarInt(true) - KRYO_ID_SHIFT;
        Registration registration = id >= 0 ? kryo.getRegistration(id) : null;
        if (registration == null || !Message.class.isAssignableFrom(registration.getType())) {
            throw new DecodeFailure(Rejection.UNKNOWN_TYPE, "registration id " + id);
        }
        if (id == COMPOUND_ID && !allowCompound) {
            throw new DecodeFailure(Rejection.NESTED_COMPOUND, "compound inside compound");
        }
        @SuppressWarnings("unchecked") // checked just above: the registration is a Message type
        Class<? extends Message> type = (Class<? extends Message>) registration.getType();
        return kryo.readObject(in, type);
    }
}
