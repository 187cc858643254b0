package io.murmur.protocol;

import static io.murmur.protocol.GoldenVectors.HEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.murmur.protocol.GoldenVectors.Vector;
import io.murmur.protocol.Message.Compound;
import io.murmur.protocol.Message.Nack;
import io.murmur.protocol.Message.UserMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pins the wire encoding of every message type and of a frame to bytes written out here. */
class CodecGoldenTest {

    private final Codec codec = new Codec();

    static Stream<Vector> vectors() {
        return GoldenVectors.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void messageEncodesToItsGoldenBytes(Vector v) {
        assertEquals(v.hex(), HEX.formatHex(codec.encode(v.message())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void frameIsHeaderFollowedByTheGoldenMessage(Vector v) {
        assertEquals(GoldenVectors.HEADER + v.hex(), HEX.formatHex(codec.frame(v.message())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void goldenFrameDecodesToItsMessageOnBothPaths(Vector v) {
        assertEquals(new Decoded.Ok(v.message()), codec.decodePacket(v.frame()));
        assertEquals(new Decoded.Ok(v.message()), codec.decodeStream(v.frame()));
    }

    @Test
    void everyMessageTypeHasAGoldenVector() {
        List<Class<?>> covered = GoldenVectors.ALL.stream()
                .<Class<?>>map(v -> v.message().getClass())
                .distinct()
                .toList();
        assertEquals(List.of(Message.class.getPermittedSubclasses()), covered);
    }

    /**
     * The Ping vector, byte by byte:
     *
     * <pre>
     * 4d 01 00                   frame header: magic 'M', version 1, flags 0
     * 16                         registration id 20 (Ping) + 2, varint
     * 04 03 02 01                seqNo 0x01020304, 4 bytes little-endian
     * 02 6e 32                   target: length 2, "n2"
     * 02 6e 31                   sourceNode: length 2, "n1"
     * 08 31 30 2e 30 2e 30 2e 31 source.host: length 8, "10.0.0.1"
     * 0a 1f                      source.port 7946 = 0x1f0a, 2 bytes little-endian
     * </pre>
     */
    @Test
    void pingFrameLayoutIsAsDocumented() {
        byte[] expected =
                HEX.parseHex("4d0100" + "16" + "04030201" + "026e32" + "026e31" + "0831302e302e302e31" + "0a1f");
        assertArrayEquals(expected, codec.frame(GoldenVectors.PING));
        assertEquals(Codec.MAGIC, expected[0]);
        assertEquals(Codec.VERSION, expected[1]);
        assertEquals(Codec.HEADER_BYTES, 3);
    }

    @Test
    void decodedMessageDoesNotShareTheInputBuffer() {
        byte[] frame = GoldenVectors.ALL.get(GoldenVectors.ALL.size() - 1).frame();
        Message decoded = ok(codec.decodePacket(frame));
        Arrays.fill(frame, (byte) 0);
        assertEquals(GoldenVectors.USER_MESSAGE, decoded);
    }

    @Test
    void compoundFrameMatchesGoldenBytes() {
        String expected = "4d0100" + "1e" + "03" + "05" + "1901000000" + "08" + "1b02026e32026e31" + "03" + "1f0178";
        assertEquals(expected, HEX.formatHex(codec.frame(GoldenVectors.COMPOUND)));
        assertEquals(new Decoded.Ok(GoldenVectors.COMPOUND), codec.decodePacket(HEX.parseHex(expected)));
    }

    @Test
    void framingPreEncodedPartsIsByteIdenticalToFramingTheCompound() {
        List<Message> parts = GoldenVectors.ALL.stream()
                .map(Vector::message)
                .filter(m -> !(m instanceof Compound))
                .toList();
        List<byte[]> encoded = parts.stream().map(codec::encode).toList();
        assertArrayEquals(codec.frame(new Compound(parts)), codec.frame(encoded));
    }

    @Test
    void framingOnePreEncodedPartGivesAPlainFrameNotACompound() {
        byte[] frame = codec.frame(List.of(codec.encode(GoldenVectors.NACK)));
        assertEquals(GoldenVectors.HEADER + "19feffffff", HEX.formatHex(frame));
        assertEquals(new Decoded.Ok(GoldenVectors.NACK), codec.decodePacket(frame));
    }

    @Test
    void framingNoPartsIsAProgrammerError() {
        assertThrows(IllegalArgumentException.class, () -> codec.frame(List.<byte[]>of()));
    }

    @ParameterizedTest(name = "{0} parts")
    @ValueSource(ints = {2, 3, 127, 128, 129, 255})
    void compoundOverheadIsTheRealSizeOfTypeAndCount(int count) {
        List<byte[]> parts = new ArrayList<>();
        int partBytes = 0;
        for (int i = 0; i < count; i++) {
            byte[] part = codec.encode(new Nack(i));
            parts.add(part);
            partBytes += Codec.partOverhead(part.length) + part.length;
        }
        byte[] frame = codec.frame(parts);
        assertEquals(Codec.HEADER_BYTES + Codec.compoundOverhead(count) + partBytes, frame.length);
        assertEquals(count < 128 ? 2 : 3, Codec.compoundOverhead(count));
        Compound decoded = assertInstanceOf(Compound.class, ok(codec.decodePacket(frame)));
        assertEquals(count, decoded.parts().size());
    }

    @ParameterizedTest(name = "payload of {0} bytes")
    @ValueSource(ints = {0, 1, 120, 121, 122, 126, 127, 16_000, 16_380, 16_381, 16_382, 40_000})
    void partOverheadIsTheRealSizeOfAPartLengthPrefix(int payloadBytes) {
        byte[] small = codec.encode(GoldenVectors.NACK);
        byte[] big = codec.encode(new UserMessage(Bytes.of(new byte[payloadBytes])));
        byte[] frame = codec.frame(List.of(small, big));
        int expected = Codec.HEADER_BYTES
                + Codec.compoundOverhead(2)
                + Codec.partOverhead(small.length)
                + small.length
                + Codec.partOverhead(big.length)
                + big.length;
        assertEquals(expected, frame.length);
        int lengthPrefix = big.length < 128 ? 1 : big.length < 16_384 ? 2 : 3;
        assertEquals(lengthPrefix, Codec.partOverhead(big.length));
        assertEquals(
                new Decoded.Ok(
                        new Compound(List.of(GoldenVectors.NACK, new UserMessage(Bytes.of(new byte[payloadBytes]))))),
                codec.decodePacket(frame));
    }

    private static Message ok(Decoded d) {
        return assertInstanceOf(Decoded.Ok.class, d, () -> "rejected: " + d).message();
    }
}
