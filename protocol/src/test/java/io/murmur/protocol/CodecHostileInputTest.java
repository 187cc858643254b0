package io.murmur.protocol;

import static io.murmur.protocol.GoldenVectors.HEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.murmur.protocol.GoldenVectors.Vector;
import io.murmur.protocol.Message.Compound;
import io.murmur.protocol.Message.Nack;
import io.murmur.protocol.Message.UserMessage;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Untrusted bytes: each rejection reason is reachable and is the one that comes back, and no input makes the decoder
 * throw, allocate beyond the limits or accept a message it cannot encode again. The randomized cases use a fixed seed,
 * overridable with {@code -Dmurmur.seed=<seed>}.
 */
class CodecHostileInputTest {

    private static final long SEED = Long.getLong("murmur.seed", 0x686f7374696c65L);
    private static final int RANDOM_BUFFERS = 300_000;

    /** Reasons the codec itself gives; {@link Rejection#WRONG_PATH} is the receiver's. */
    /** The codec's own reasons: not the receiver's (wrong path) nor the wire security layer's (WireSecurityTest). */
    private static final Set<Rejection> CODEC_REASONS = EnumSet.complementOf(EnumSet.of(
            Rejection.WRONG_PATH,
            Rejection.WRONG_LABEL,
            Rejection.NOT_ENCRYPTED,
            Rejection.DECRYPTION_FAILED,
            Rejection.DECOMPRESSION_FAILED,
            Rejection.NOT_ALLOWED));

    private final Codec codec = new Codec();

    @BeforeAll
    static void logSeed() {
        System.out.println("CodecHostileInputTest seed " + SEED + " (re-run with -Dmurmur.seed=" + SEED + ")");
    }

    // ---- EMPTY, BAD_MAGIC, UNSUPPORTED_VERSION, UNSUPPORTED_FLAGS

    @Test
    void noBytesAreRejectedAsEmpty() {
        assertRejected(Rejection.EMPTY, new byte[0]);
        assertEquals(Rejection.EMPTY, reason(codec.decodeStream(new byte[8], 5, 0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "4e0100", "4c010019feffffff", "19feffffff", "ff", "6d0100"})
    void frameWithoutTheMagicByteIsRejectedAsBadMagic(String hex) {
        assertRejected(Rejection.BAD_MAGIC, HEX.parseHex(hex));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4d000019feffffff", "4d020019feffffff", "4dff0019feffffff", "4d0200"})
    void frameOfAnotherVersionIsRejectedAsUnsupportedVersion(String hex) {
        assertRejected(Rejection.UNSUPPORTED_VERSION, HEX.parseHex(hex));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4d010119feffffff", "4d018019feffffff", "4d01ff19feffffff", "4d0101"})
    void frameWithFlagsIsRejectedAsUnsupportedFlags(String hex) {
        assertRejected(Rejection.UNSUPPORTED_FLAGS, HEX.parseHex(hex));
    }

    // ---- UNKNOWN_TYPE

    /** Wire ids (id + 2) that name no message: null, class-by-name, Kryo's built-ins, gaps and far beyond. */
    @ParameterizedTest(name = "wire id {0}")
    @ValueSource(
            longs = {
                0,
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                12,
                13,
                19,
                20,
                21,
                32,
                33,
                127,
                128,
                300,
                0x7FFF_FFFFL,
                0x8000_0000L,
                0xFFFF_FFFFL
            })
    void registrationIdThatNamesNoMessageIsRejectedAsUnknownType(long wireId) {
        assertRejected(Rejection.UNKNOWN_TYPE, frame(varint(wireId), "01000000"));
        assertRejected(Rejection.UNKNOWN_TYPE, frame(varint(wireId)));
    }

    @Test
    void kryoBuiltInStringIsRejectedAsUnknownType() {
        Kryo kryo = new Kryo();
        Output out = new Output(64);
        kryo.writeClassAndObject(out, "hello");
        byte[] kryoString = out.toBytes();
        assertEquals(kryo.getRegistration(String.class).getId() + 2, kryoString[0]);
        assertRejected(Rejection.UNKNOWN_TYPE, frame(HEX.formatHex(kryoString)));
    }

    /**
     * Kryo's class-by-name form (wire id 1, a name id, the class name) naming a registered message with its fields
     * after it. Were the name looked up, this would decode as a Nack.
     */
    @ParameterizedTest
    @ValueSource(strings = {"io.murmur.protocol.Message$Nack", "java.net.URL", "no.such.Clazz"})
    void classNamesOnTheWireAreNeverLookedUp(String className) {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        Output out = new Output(256);
        out.writeVarInt(1, true); // NAME + 2
        out.writeVarInt(0, true); // name id
        out.writeString(className);
        out.writeInt(1); // a Nack's seqNo
        String byName = HEX.formatHex(out.toBytes());
        assertRejected(Rejection.UNKNOWN_TYPE, frame(byName));

        if (className.endsWith("Nack")) {
            Output written = new Output(256);
            kryo.writeClass(written, Nack.class);
            assertEquals(1, written.toBytes()[0], "Kryo writes an unregistered class by name");
            String kryoByName = HEX.formatHex(written.toBytes()) + "01000000";
            assertRejected(Rejection.UNKNOWN_TYPE, frame(kryoByName));
        }
    }

    // ---- TRUNCATED

    static Stream<Vector> vectors() {
        return GoldenVectors.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyPrefixOfAGoldenFrameIsRejectedAsTruncated(Vector v) {
        byte[] frame = v.frame();
        for (int length = 1; length < frame.length; length++) {
            int n = length;
            Supplier<String> context = () -> v.name() + " cut to " + n + " bytes";
            assertEquals(Rejection.TRUNCATED, reason(codec.decodePacket(Arrays.copyOf(frame, n))), context);
            // The rest of the message is right there after the slice; the decoder must not read it.
            assertEquals(Rejection.TRUNCATED, reason(codec.decodePacket(frame, 0, n)), context);
            assertEquals(Rejection.TRUNCATED, reason(codec.decodeStream(frame, 0, n)), context);
        }
    }

    @Test
    void lengthsWithinTheLimitsButBeyondTheInputAreRejectedAsTruncated() {
        int maxStream = codec.limits().maxStreamBytes();
        assertRejectedOnStream(Rejection.TRUNCATED, frame("1f", varint(maxStream), "00"));
        assertRejectedOnStream(
                Rejection.TRUNCATED, frame("1d00", varint(codec.limits().maxPushPullNodes()), "00"));
        assertRejectedOnStream(Rejection.TRUNCATED, frame("1e", varint(255), "05", "19feffffff"));
        assertRejectedOnStream(Rejection.TRUNCATED, frame("1e02", varint(maxStream), "19feffffff"));
        assertRejectedOnStream(Rejection.TRUNCATED, frame("16", "00000000", varint(255), "6e"));
        // A compound part shorter than the message inside it.
        assertRejectedOnStream(Rejection.TRUNCATED, frame("1e02", "04", "19feffffff", "05", "19feffffff"));
    }

    // ---- OVERSIZED

    static Stream<Arguments> oversizedFields() {
        long twoGiB = 0x7FFF_FFFFL;
        return Stream.of(
                Arguments.of("2 GiB node name", frame("16", "00000000", varint(twoGiB), "6e32")),
                Arguments.of("name of 256 bytes", frame("16", "00000000", varint(256), "61".repeat(256))),
                Arguments.of("name length as a negative int", frame("16", "00000000", varint(0xFFFF_FFFFL), "6e32")),
                Arguments.of("2 GiB host", frame("16", "00000000", "026e32026e31", varint(twoGiB), "31")),
                Arguments.of(
                        "host of 256 bytes",
                        frame("16", "00000000", "026e32026e31", varint(256), "68".repeat(256), "0a1f")),
                Arguments.of("2 GiB user payload", frame("1f", varint(twoGiB), "00")),
                Arguments.of("user payload over the stream limit", frame("1f", varint(20 * 1024 * 1024 + 1), "00")),
                Arguments.of("ack payload over the packet limit", frame("18", "00000000", varint(64 * 1024 + 1), "00")),
                Arguments.of("2 GiB user state", frame("1d", "00", "00", varint(twoGiB), "00")),
                Arguments.of(
                        "meta of 513 bytes", frame("1a", "00", "0161", "0168", "0100", varint(513), "00".repeat(513))),
                Arguments.of("2 GiB meta", frame("1a", "00", "0161", "0168", "0100", varint(twoGiB), "00")),
                Arguments.of("2 G push/pull rows", frame("1d", "00", varint(twoGiB), "00")),
                Arguments.of("push/pull rows past the limit", frame("1d", "01", varint(1_048_577), "00")),
                Arguments.of("push/pull rows as a negative int", frame("1d", "00", varint(0xFFFF_FFFFL), "00")),
                Arguments.of("256 compound parts", frame("1e", varint(256), "05", "19feffffff")),
                Arguments.of("2 G compound parts", frame("1e", varint(twoGiB), "05", "19feffffff")),
                Arguments.of("2 GiB compound part", frame("1e", "02", varint(twoGiB), "19feffffff")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedFields")
    void lengthOrCountBeyondTheLimitsIsRejectedAsOversized(String name, byte[] frame) {
        assertRejectedOnStream(Rejection.OVERSIZED, frame);
    }

    @Test
    void packetOverThePacketLimitIsRejectedAsOversizedButFitsTheStream() {
        int limit = codec.limits().maxPacketBytes();
        UserMessage big = new UserMessage(Bytes.of(new byte[limit]));
        byte[] frame = codec.frame(big);
        assertTrue(frame.length > limit);
        assertEquals(Rejection.OVERSIZED, reason(codec.decodePacket(frame)));
        assertEquals(new Decoded.Ok(big), codec.decodeStream(frame));

        byte[] justFits = codec.frame(new UserMessage(Bytes.of(new byte[limit - 3 - 1 - 3])));
        assertEquals(limit, justFits.length);
        assertInstanceOf(Decoded.Ok.class, codec.decodePacket(justFits));
    }

    @Test
    void smallerLimitsAreEnforced() {
        Codec small = new Codec(new Limits(64, 1024, 2, 3));
        assertEquals(
                Rejection.OVERSIZED,
                reason(small.decodeStream(codec.frame(new UserMessage(Bytes.of(new byte[1100]))))));
        assertEquals(
                Rejection.OVERSIZED, reason(small.decodePacket(codec.frame(new UserMessage(Bytes.of(new byte[70]))))));
        assertEquals(Rejection.OVERSIZED, reason(small.decodeStream(codec.frame(pushPullOf(3)))));
        assertInstanceOf(Decoded.Ok.class, small.decodeStream(codec.frame(pushPullOf(2))));
        assertEquals(Rejection.OVERSIZED, reason(small.decodeStream(codec.frame(nacks(4)))));
        assertInstanceOf(Decoded.Ok.class, small.decodeStream(codec.frame(nacks(3))));
    }

    // ---- MALFORMED

    static Stream<Arguments> malformedFields() {
        String ping = "16" + "00000000";
        String name = "026e31";
        String host = "0831302e302e302e31" + "0a1f";
        String node = "0161" + "0168" + "0100" + "00" + "010101000000";
        return Stream.of(
                Arguments.of("bad continuation byte", frame(ping, "02c328", name, host)),
                Arguments.of("lone continuation byte", frame(ping, "0180", name, host)),
                Arguments.of("0xff byte", frame(ping, "01ff", name, host)),
                Arguments.of("overlong NUL (modified UTF-8)", frame(ping, "02c080", name, host)),
                Arguments.of("overlong slash", frame(ping, "03e080af", name, host)),
                Arguments.of("encoded surrogate (CESU-8)", frame(ping, "03eda080", name, host)),
                Arguments.of("code point above U+10FFFF", frame(ping, "04f4908080", name, host)),
                Arguments.of("sequence cut by its length", frame(ping, "01e2", name, host)),
                Arguments.of("invalid UTF-8 host", frame(ping, name, name, "02c328", "0a1f")),
                Arguments.of("invalid UTF-8 in a suspect", frame("1b", "01", "02c328", name)),
                Arguments.of("empty ping target", frame(ping, "00", name, host)),
                Arguments.of("empty ping source node", frame(ping, name, "00", host)),
                Arguments.of("empty host", frame(ping, name, name, "00", "0a1f")),
                Arguments.of("empty suspect node", frame("1b", "01", "00", name)),
                Arguments.of("empty dead accuser", frame("1c", "01", name, "00")),
                Arguments.of("empty alive name", frame("1a", "01", "00", "0168", "0100", "00", "010101000000")),
                Arguments.of("indirect nack of 2", frame("17", "00000000", name, host, "02", name, host)),
                Arguments.of("indirect nack of 0xff", frame("17", "00000000", name, host, "ff", name, host)),
                Arguments.of("push/pull join of 2", frame("1d", "02", "00", "00")),
                Arguments.of("node state 4", frame("1d", "00", "01", node, "00", "04", "00")),
                Arguments.of("node state 0xff", frame("1d", "00", "01", node, "00", "ff", "00")),
                Arguments.of("incarnation 2^32", frame("1b", varint(1L << 32), name, name)),
                Arguments.of("incarnation 2^63", frame("1b", "808080808080808080", name, name)),
                Arguments.of("incarnation -1", frame("1b", "ffffffffffffffffff", name, name)),
                Arguments.of("alive incarnation 2^32", frame("1a", varint(1L << 32), node)),
                Arguments.of(
                        "push/pull incarnation 2^32", frame("1d", "00", "01", node, varint(1L << 32), "00", "00")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFields")
    void impossibleFieldValueIsRejectedAsMalformed(String name, byte[] frame) {
        assertRejected(Rejection.MALFORMED, frame);
    }

    // ---- TRAILING_BYTES, NESTED_COMPOUND

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void bytesAfterAGoldenMessageAreRejectedAsTrailing(Vector v) {
        assertRejected(Rejection.TRAILING_BYTES, HEX.parseHex(GoldenVectors.HEADER + v.hex() + "00"));
        assertRejected(Rejection.TRAILING_BYTES, HEX.parseHex(GoldenVectors.HEADER + v.hex() + v.hex()));
    }

    @Test
    void compoundPartLongerThanItsMessageIsRejectedAsTrailing() {
        assertRejected(Rejection.TRAILING_BYTES, frame("1e02", "06", "19feffffff", "00", "05", "19feffffff"));
    }

    @Test
    void compoundInsideACompoundIsRejectedAsNested() {
        String inner = HEX.formatHex(codec.encode(nacks(2)));
        String nack = "19feffffff";
        assertRejected(Rejection.NESTED_COMPOUND, frame("1e02", "05", nack, varint(inner.length() / 2), inner));
        assertRejected(Rejection.NESTED_COMPOUND, frame("1e01", varint(inner.length() / 2), inner));
        assertThrows(IllegalArgumentException.class, () -> new Compound(List.of(nacks(2))));
    }

    // ---- maxCompoundParts

    @Test
    void compoundOf255PartsIsAcceptedAnd256IsRejected() {
        Compound max = nacks(255);
        assertEquals(new Decoded.Ok(max), codec.decodePacket(codec.frame(max)));
        List<byte[]> parts = max.parts().stream().map(codec::encode).toList();
        assertEquals(new Decoded.Ok(max), codec.decodePacket(codec.frame(parts)));

        List<byte[]> tooMany = new ArrayList<>(parts);
        tooMany.add(codec.encode(new Nack(255)));
        assertThrows(IllegalArgumentException.class, () -> codec.frame(tooMany));
        assertThrows(IllegalArgumentException.class, () -> codec.frame(nacks(256)));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(nacks(256)));

        StringBuilder hostile = new StringBuilder("1e").append(varint(256));
        for (int i = 0; i < 256; i++) {
            hostile.append("05").append("19").append("feffffff");
        }
        assertRejected(Rejection.OVERSIZED, frame(hostile.toString()));
    }

    // ---- every reason, and no input that breaks the decoder

    @Test
    void everyCodecRejectionReasonIsReachable() {
        EnumSet<Rejection> seen = EnumSet.noneOf(Rejection.class);
        seen.add(reason(codec.decodePacket(new byte[0])));
        seen.add(reason(codec.decodePacket(HEX.parseHex("00"))));
        seen.add(reason(codec.decodePacket(HEX.parseHex("4d0200"))));
        seen.add(reason(codec.decodePacket(HEX.parseHex("4d0101"))));
        seen.add(reason(codec.decodePacket(frame("03"))));
        seen.add(reason(codec.decodePacket(frame("19ff"))));
        seen.add(reason(codec.decodePacket(frame("1f", varint(1 << 30)))));
        seen.add(reason(codec.decodePacket(frame("1d02"))));
        seen.add(reason(codec.decodePacket(frame("19feffffff00"))));
        byte[] inner = codec.encode(nacks(2));
        seen.add(reason(codec.decodePacket(frame("1e01", varint(inner.length), HEX.formatHex(inner)))));
        assertEquals(CODEC_REASONS, seen);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void flippingAnyBitOfAGoldenFrameNeverBreaksTheDecoder(Vector v) {
        byte[] frame = v.frame();
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] flipped = frame.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            int b = bit;
            checkSurvives(flipped, () -> v.name() + " with bit " + b + " flipped");
        }
    }

    @Test
    void randomAndMutatedBuffersNeverBreakTheDecoder() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Vector> vectors = GoldenVectors.ALL;
        for (int i = 0; i < RANDOM_BUFFERS; i++) {
            byte[] buffer = switch (random.nextInt(4)) {
                case 0 -> randomBytes(random, random.nextInt(96));
                case 1 -> withHeader(randomBytes(random, random.nextInt(96)), random);
                default -> mutate(vectors.get(random.nextInt(vectors.size())).frame(), random);
            };
            int n = i;
            checkSurvives(buffer, () -> "seed " + SEED + ", buffer " + n + ": " + HEX.formatHex(buffer));
        }
    }

    /**
     * Hostile lengths and counts are refused before anything is allocated for them: decoding them allocates a few
     * kilobytes, not the gigabytes or megabytes they claim.
     */
    @Test
    void hostileLengthsAreRejectedWithoutAllocatingForThem() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long self = Thread.currentThread().getId();

        int maxStream = codec.limits().maxStreamBytes();
        List<byte[]> hostile = List.of(
                frame("1f", varint(0x7FFF_FFFFL)), // 2 GiB payload
                frame("1f", varint(maxStream), "00"), // 20 MiB payload, within the limit, not there
                frame("1d", "00", varint(codec.limits().maxPushPullNodes()), "00"),
                frame("1d", "00", "00", varint(maxStream), "00"),
                frame("16", "00000000", varint(0x7FFF_FFFFL)), // 2 GiB name
                frame("1e", varint(255), "05"),
                frame("1e02", varint(maxStream), "19"));
        for (byte[] frame : hostile) {
            codec.decodeStream(frame); // warm up: the first decode may create a Kryo for the pool
            long before = threads.getThreadAllocatedBytes(self);
            Decoded d = codec.decodeStream(frame);
            long allocated = threads.getThreadAllocatedBytes(self) - before;
            assertInstanceOf(Decoded.Rejected.class, d, HEX.formatHex(frame));
            assertTrue(allocated < 256 * 1024, () -> allocated + " bytes allocated for " + HEX.formatHex(frame));
        }
    }

    // ---- helpers

    /** Decoding must not throw, must leave the input alone, and an accepted message must encode again. */
    private void checkSurvives(byte[] buffer, Supplier<String> context) {
        byte[] copy = buffer.clone();
        Decoded packet;
        Decoded stream;
        try {
            packet = codec.decodePacket(buffer);
            stream = codec.decodeStream(buffer);
        } catch (Throwable t) {
            throw new AssertionError("decode threw for " + context.get(), t);
        }
        assertArrayEquals(copy, buffer, context);
        assertEquals(packet, stream, context);
        if (packet instanceof Decoded.Ok ok) {
            byte[] again = codec.frame(ok.message());
            assertEquals(packet, codec.decodePacket(again), context);
        } else {
            Decoded.Rejected r = (Decoded.Rejected) packet;
            assertTrue(CODEC_REASONS.contains(r.reason()), context);
            assertFalse(fromAnUnexpectedException(r.detail()), () -> context.get() + ": " + r);
        }
    }

    /** Codec's last-resort catch names the exception; none of our inputs should get that far. */
    private static boolean fromAnUnexpectedException(String detail) {
        return detail.matches("^[A-Za-z]*(Exception|Error): [\\s\\S]*") || detail.startsWith("Buffer too small");
    }

    private void assertRejected(Rejection expected, byte[] frame) {
        assertEquals(expected, reason(codec.decodePacket(frame)), () -> HEX.formatHex(frame));
        assertRejectedOnStream(expected, frame);
    }

    private void assertRejectedOnStream(Rejection expected, byte[] frame) {
        Decoded d = codec.decodeStream(frame);
        assertEquals(expected, reason(d), () -> HEX.formatHex(frame) + " gave " + d);
        assertFalse(fromAnUnexpectedException(((Decoded.Rejected) d).detail()), d::toString);
    }

    private static Rejection reason(Decoded d) {
        if (d instanceof Decoded.Rejected r) {
            return r.reason();
        }
        return fail("accepted: " + d);
    }

    static byte[] frame(String... hex) {
        return HEX.parseHex(GoldenVectors.HEADER + String.join("", hex));
    }

    /** An unsigned LEB128 varint, written independently of Kryo. */
    static String varint(long value) {
        StringBuilder s = new StringBuilder();
        long v = value;
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            s.append(String.format("%02x", v != 0 ? b | 0x80 : b));
        } while (v != 0);
        return s.toString();
    }

    private static Compound nacks(int count) {
        List<Message> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            parts.add(new Nack(i));
        }
        return new Compound(parts);
    }

    private static Message pushPullOf(int rows) {
        List<Message.PushNodeState> nodes = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            nodes.add(new Message.PushNodeState(new NodeInfo("n" + i, new Address("h", i)), i, NodeState.ALIVE));
        }
        return new Message.PushPull(false, nodes, Bytes.EMPTY);
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static byte[] withHeader(byte[] body, SplittableRandom random) {
        byte[] b = new byte[body.length + 4];
        b[0] = Codec.MAGIC;
        b[1] = Codec.VERSION;
        b[3] = (byte) (22 + random.nextInt(10)); // a message type, so that the fields get read
        System.arraycopy(body, 0, b, 4, body.length);
        return b;
    }

    /** Overwrites, inserts or deletes a few bytes after the header. */
    private static byte[] mutate(byte[] frame, SplittableRandom random) {
        byte[] b = frame;
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = Codec.HEADER_BYTES + random.nextInt(b.length - Codec.HEADER_BYTES + 1);
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (at < b.length) {
                        b = b.clone();
                        b[at] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                default -> {
                    if (at < b.length) {
                        byte[] c = new byte[b.length - 1];
                        System.arraycopy(b, 0, c, 0, at);
                        System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                        b = c;
                    }
                }
            }
        }
        return b;
    }
}
