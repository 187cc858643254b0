package io.murmur.serf.coordinate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CoordinateCodecTest {

    private static final Coordinate SAMPLE = new Coordinate(new double[] {1.0, -2.0}, 0.5, -0.25, 1e-5);

    private static Coordinate random(SplittableRandom random, int dimensions) {
        double[] vec = new double[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vec[i] = random.nextGaussian() * 0.05;
        }
        return new Coordinate(vec, random.nextDouble() * 1.5, random.nextGaussian() * 1e-3, random.nextDouble() * 1e-2);
    }

    /** A payload with a well-formed layout for {@code dimensions} whose doubles are all {@code value}. */
    private static byte[] payload(int version, int dimensions, double value) {
        ByteBuffer out =
                ByteBuffer.allocate(CoordinateCodec.encodedSize(dimensions)).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) version).put((byte) dimensions);
        while (out.hasRemaining()) {
            out.putDouble(value);
        }
        return out.array();
    }

    @Test
    void roundTripsCoordinatesOfEverySupportedDimensionality() {
        SplittableRandom random = new SplittableRandom(11);
        for (int dimensions = 1; dimensions <= CoordinateCodec.MAX_DIMENSIONS; dimensions++) {
            Coordinate c = random(random, dimensions);
            byte[] bytes = CoordinateCodec.encode(c);
            assertEquals(CoordinateCodec.encodedSize(dimensions), bytes.length);
            assertEquals(Optional.of(c), CoordinateCodec.decode(bytes));
        }
    }

    @Test
    void theLayoutIsVersionDimensionsThenLittleEndianDoubles() {
        byte[] bytes = CoordinateCodec.encode(SAMPLE);
        assertEquals(2 + 8 * 5, bytes.length);
        assertEquals(1, bytes[0], "version");
        assertEquals(2, bytes[1], "dimensions");
        // 1.0 is 0x3FF0000000000000: little-endian, the exponent bytes come last
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F}, Arrays.copyOfRange(bytes, 2, 10));
        ByteBuffer in = ByteBuffer.wrap(bytes, 10, bytes.length - 10).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-2.0, in.getDouble());
        assertEquals(0.5, in.getDouble(), "error");
        assertEquals(-0.25, in.getDouble(), "adjustment");
        assertEquals(1e-5, in.getDouble(), "height");
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] bytes = CoordinateCodec.encode(SAMPLE);
        for (int length = 0; length < bytes.length; length++) {
            assertEquals(Optional.empty(), CoordinateCodec.decode(Arrays.copyOf(bytes, length)), "length " + length);
        }
        assertEquals(Optional.empty(), CoordinateCodec.decode(null));
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = CoordinateCodec.encode(SAMPLE);
        assertEquals(Optional.empty(), CoordinateCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)));
        assertEquals(Optional.empty(), CoordinateCodec.decode(Arrays.copyOf(bytes, bytes.length + 8)));
    }

    @Test
    void otherVersionsAreRejected() {
        for (int version : new int[] {0, 2, 0x7F, 0xFF}) {
            assertEquals(Optional.empty(), CoordinateCodec.decode(payload(version, 2, 0.0)), "version " + version);
        }
        assertTrue(CoordinateCodec.decode(payload(1, 2, 0.0)).isPresent(), "the same payload as version 1");
    }

    @Test
    void absurdDimensionCountsAreRejectedEvenWhenTheLengthMatches() {
        for (int dimensions : new int[] {0, 65, 128, 255}) {
            assertEquals(Optional.empty(), CoordinateCodec.decode(payload(1, dimensions, 0.0)), "n = " + dimensions);
        }
        assertTrue(CoordinateCodec.decode(payload(1, 64, 0.0)).isPresent());
    }

    @Test
    void nonFiniteOrNegativeValuesAreRejectedInEverySlot() {
        byte[] good = CoordinateCodec.encode(SAMPLE);
        for (int slot = 0; slot < 5; slot++) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                byte[] bytes = good.clone();
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(2 + 8 * slot, bad);
                assertEquals(Optional.empty(), CoordinateCodec.decode(bytes), "slot " + slot + " = " + bad);
            }
        }
        for (int slot : new int[] {2, 4}) { // error, height
            byte[] bytes = good.clone();
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(2 + 8 * slot, -1.0);
            assertEquals(Optional.empty(), CoordinateCodec.decode(bytes), "negative slot " + slot);
        }
    }

    @Test
    void everySingleBitFlipDecodesToNothingOrToAnotherValidCoordinate() {
        byte[] good = CoordinateCodec.encode(SAMPLE);
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bytes = good.clone();
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            Optional<Coordinate> decoded = CoordinateCodec.decode(bytes);
            if (bit < 16) {
                assertEquals(Optional.empty(), decoded, "a flip in the header, bit " + bit);
            } else if (decoded.isPresent()) {
                assertTrue(decoded.get().isValid());
                assertNotEquals(SAMPLE, decoded.get(), "bit " + bit);
            }
        }
    }

    @Test
    void randomGarbageNeverThrows() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(100)];
            random.nextBytes(bytes);
            if (bytes.length > 1 && random.nextBoolean()) {
                bytes[0] = CoordinateCodec.VERSION;
            }
            Optional<Coordinate> decoded = CoordinateCodec.decode(bytes);
            decoded.ifPresent(c -> assertTrue(c.isValid()));
        }
    }

    @Test
    void encodingRefusesWhatDecodingWouldReject() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CoordinateCodec.encode(new Coordinate(new double[] {Double.NaN}, 1, 0, 0)));
        assertThrows(
                IllegalArgumentException.class, () -> CoordinateCodec.encode(new Coordinate(new double[65], 1, 0, 0)));
        assertThrows(
                IllegalArgumentException.class, () -> CoordinateCodec.encode(new Coordinate(new double[0], 1, 0, 0)));
    }
}
