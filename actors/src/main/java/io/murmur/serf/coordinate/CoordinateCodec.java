package io.murmur.serf.coordinate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The bytes of a coordinate in an ack payload. Fixed layout, little-endian IEEE-754 doubles:
 *
 * <pre>
 * offset  size   field
 * 0       1      version, 1
 * 1       1      n, the dimension count, 1..64
 * 2       8 n    vec[0..n-1]
 * 2+8n    8      error
 * 10+8n   8      adjustment
 * 18+8n   8      height
 * </pre>
 *
 * A payload is exactly {@code 26 + 8n} bytes. Not Serf's msgpack encoding: a Go peer's coordinate comes
 * through the memberlist-wire transport, which has its own codec.
 */
public final class CoordinateCodec {

    /** The layout version this codec writes and the only one it reads. */
    public static final byte VERSION = 1;

    /** More dimensions than this is not a coordinate but an attack on our allocator. */
    public static final int MAX_DIMENSIONS = 64;

    private static final int HEADER_BYTES = 2;
    private static final int SCALARS = 3;

    private CoordinateCodec() {}

    /** The encoded size of a coordinate of {@code dimensions} dimensions. */
    public static int encodedSize(int dimensions) {
        return HEADER_BYTES + Double.BYTES * (dimensions + SCALARS);
    }

    /**
     * Encodes a coordinate.
     *
     * @throws IllegalArgumentException if it is invalid or has 0 or more than {@value #MAX_DIMENSIONS}
     *     dimensions: we only ever send what {@link #decode} would accept
     */
    public static byte[] encode(Coordinate coordinate) {
        int n = coordinate.dimensionality();
        if (n < 1 || n > MAX_DIMENSIONS || !coordinate.isValid()) {
            throw new IllegalArgumentException("cannot encode " + coordinate);
        }
        ByteBuffer out = ByteBuffer.allocate(encodedSize(n)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(VERSION).put((byte) n);
        for (double v : coordinate.vec()) {
            out.putDouble(v);
        }
        out.putDouble(coordinate.error()).putDouble(coordinate.adjustment()).putDouble(coordinate.height());
        return out.array();
    }

    /**
     * Decodes a coordinate; never throws. Empty for a null or truncated payload, another version, a
     * dimension count of 0 or above {@value #MAX_DIMENSIONS}, trailing bytes, or a coordinate that is not
     * {@link Coordinate#isValid() valid} (non-finite numbers, negative error or height).
     */
    public static Optional<Coordinate> decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES || bytes[0] != VERSION) {
            return Optional.empty();
        }
        int n = Byte.toUnsignedInt(bytes[1]);
        if (n < 1 || n > MAX_DIMENSIONS || bytes.length != encodedSize(n)) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        double[] vec = new double[n];
        for (int i = 0; i < n; i++) {
            vec[i] = in.getDouble();
        }
        Coordinate decoded = new Coordinate(vec, in.getDouble(), in.getDouble(), in.getDouble());
        return decoded.isValid() ? Optional.of(decoded) : Optional.empty();
    }
}
