package io.murmur.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.SerfMessage.EventBucket;
import io.murmur.protocol.SerfMessage.JoinIntent;
import io.murmur.protocol.SerfMessage.LeaveIntent;
import io.murmur.protocol.SerfMessage.PushPull;
import io.murmur.protocol.SerfMessage.Query;
import io.murmur.protocol.SerfMessage.QueryResponse;
import io.murmur.protocol.SerfMessage.Relay;
import io.murmur.protocol.SerfMessage.TagFilter;
import io.murmur.protocol.SerfMessage.UserEvent;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SerfCodecTest {

    final SerfCodec codec = new SerfCodec();
    static final Address A = new Address("10.0.0.1", 7946);

    static List<SerfMessage> samples() {
        return List.of(
                new JoinIntent(7, "node-a"),
                new LeaveIntent(8, "node-b", true),
                new UserEvent(3, "deploy", Bytes.utf8("v1"), true),
                new Query(
                        9,
                        12345,
                        A,
                        "node-a",
                        List.of("x", "y"),
                        List.of(new TagFilter("role", "^db")),
                        SerfMessage.QUERY_FLAG_ACK,
                        2,
                        3_200_000_000L,
                        "ping",
                        Bytes.utf8("?")),
                new QueryResponse(9, 12345, "node-c", 0, Bytes.utf8("pong")),
                new Relay(A, "node-a", Bytes.utf8("inner")),
                new PushPull(
                        4,
                        Map.of("node-a", 2L, "node-b", 3L),
                        List.of("node-b"),
                        6,
                        List.of(new EventBucket(5, List.of(new UserEvent(5, "e", Bytes.EMPTY, false)))),
                        2));
    }

    @Test
    void everyMessageRoundTrips() {
        for (SerfMessage m : samples()) {
            SerfCodec.Decoded d = codec.decode(codec.encode(m));
            assertEquals(new SerfCodec.Decoded.Ok(m), d, m.toString());
        }
    }

    @Test
    void goldenBytesPinTheEncoding() {
        assertEquals("53012a07066e6f64652d61", hex(codec.encode(new JoinIntent(7, "node-a"))));
        assertEquals("53012b08016e01", hex(codec.encode(new LeaveIntent(8, "n", true))));
        assertEquals("53012c0301650161" + "00", hex(codec.encode(new UserEvent(3, "e", Bytes.utf8("a"), false))));
    }

    @Test
    void truncatedInputIsARejectionAtEveryLength() {
        for (SerfMessage m : samples()) {
            byte[] full = codec.encode(m).toArray();
            for (int n = 0; n < full.length; n++) {
                SerfCodec.Decoded d = codec.decode(Bytes.of(java.util.Arrays.copyOf(full, n)));
                assertInstanceOf(SerfCodec.Decoded.Rejected.class, d, m + " cut at " + n);
            }
        }
    }

    @Test
    void randomCorruptionNeverThrows() {
        Random random = new Random(42);
        for (SerfMessage m : samples()) {
            byte[] full = codec.encode(m).toArray();
            for (int i = 0; i < 2000; i++) {
                byte[] b = full.clone();
                b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                codec.decode(Bytes.of(b)); // any outcome but an exception
            }
        }
    }

    @Test
    void wrongMagicVersionTypeAndTrailingBytesAreTypedRejections() {
        assertEquals(Rejection.BAD_MAGIC, reason(new byte[] {0x4D, 1, 42}));
        assertEquals(Rejection.UNSUPPORTED_VERSION, reason(new byte[] {0x53, 9, 42}));
        assertEquals(Rejection.UNKNOWN_TYPE, reason(new byte[] {0x53, 1, 22})); // a membership id (20), not serf
        byte[] ok = codec.encode(new JoinIntent(1, "n")).toArray();
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertEquals(Rejection.TRAILING_BYTES, reason(longer));
        assertEquals(Rejection.EMPTY, reason(new byte[0]));
    }

    @Test
    void hugeCountsAreRejectedBeforeAllocation() {
        // A push/pull claiming 2^28 status rows in a few bytes.
        byte[] b = {0x53, 1, 48, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertTrue(reason(b) == Rejection.OVERSIZED || reason(b) == Rejection.TRUNCATED);
    }

    @Test
    void tagsRoundTripAndRejectGarbage() {
        Map<String, String> tags = Map.of("role", "web", "dc", "east");
        assertEquals(tags, Tags.decode(Tags.encode(tags)).orElseThrow());
        assertEquals(Bytes.EMPTY, Tags.encode(Map.of()));
        assertTrue(Tags.decode(Bytes.EMPTY).orElseThrow().isEmpty());
        assertTrue(Tags.decode(Bytes.utf8("not tags")).isEmpty());
        byte[] enc = Tags.encode(tags).toArray();
        assertTrue(Tags.decode(Bytes.of(java.util.Arrays.copyOf(enc, enc.length - 1)))
                .isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Tags.encode(Map.of("big", "x".repeat(600))));
    }

    private Rejection reason(byte[] b) {
        return ((SerfCodec.Decoded.Rejected) codec.decode(Bytes.of(b))).reason();
    }

    private static String hex(Bytes b) {
        return HexFormat.of().formatHex(b.toArray());
    }
}
