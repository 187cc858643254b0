package io.murmur.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.util.Objects;

/**
 * The serf layer's codec: {@code [magic 0x53][version 1][registration id][fields]}, Kryo with registration required
 * and fixed ids (40 and up), every length bounded before allocation. Decoding never throws: bad input comes back as
 * {@link Decoded.Rejected}. Thread-safe.
 */
public final class SerfCodec {

    public static final byte MAGIC = 0x53;
    public static final byte VERSION = 1;
    private static final int HEADER_BYTES = 2;
    private static final int KRYO_ID_SHIFT = 2;

    /** The result of decoding serf bytes. */
    public sealed interface Decoded {
        record Ok(SerfMessage message) implements Decoded {}

        record Rejected(Rejection reason, String detail) implements Decoded {}
    }

    private final Limits limits;
    private final Pool<Kryo> kryos;

    public SerfCodec() {
        this(Limits.DEFAULT);
    }

    public SerfCodec(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.kryos = Codec.kryoPool(16, kryo -> SerfSerializers.register(kryo, limits));
    }

    public Bytes encode(SerfMessage message) {
        Objects.requireNonNull(message, "message");
        Kryo kryo = kryos.obtain();
        try {
            Output out = new Output(64, limits.maxStreamBytes());
            out.writeByte(MAGIC);
            out.writeByte(VERSION);
            kryo.writeClass(out, message.getClass());
            kryo.writeObject(out, message);
            return Bytes.wrap(out.toBytes());
        } catch (KryoException e) {
            throw new IllegalArgumentException(
                    message.getClass().getSimpleName() + " does not fit in " + limits.maxStreamBytes() + " bytes", e);
        } finally {
            kryos.free(kryo);
        }
    }

    public Decoded decode(Bytes bytes) {
        byte[] b = bytes.unsafeArray();
        if (b.length == 0) {
            return new Decoded.Rejected(Rejection.EMPTY, "no bytes");
        }
        if (b.length > limits.maxStreamBytes()) {
            return new Decoded.Rejected(Rejection.OVERSIZED, b.length + " bytes");
        }
        if (b[0] != MAGIC) {
            return new Decoded.Rejected(Rejection.BAD_MAGIC, String.format("first byte 0x%02x", b[0]));
        }
        if (b.length < HEADER_BYTES) {
            return new Decoded.Rejected(Rejection.TRUNCATED, "short header");
        }
        if (b[1] != VERSION) {
            return new Decoded.Rejected(Rejection.UNSUPPORTED_VERSION, "serf version " + b[1]);
        }
        Kryo kryo = kryos.obtain();
        try {
            Input in = new Input(b, HEADER_BYTES, b.length - HEADER_BYTES);
            int id = in.readVarInt(true) - KRYO_ID_SHIFT;
            Registration registration = id >= 0 ? kryo.getRegistration(id) : null;
            if (registration == null || !SerfMessage.class.isAssignableFrom(registration.getType())) {
                return new Decoded.Rejected(Rejection.UNKNOWN_TYPE, "registration id " + id);
            }
            @SuppressWarnings("unchecked") // checked just above
            Class<? extends SerfMessage> type = (Class<? extends SerfMessage>) registration.getType();
            SerfMessage message = kryo.readObject(in, type);
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
            return new Decoded.Rejected(Rejection.MALFORMED, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            kryos.free(kryo);
        }
    }
}
