package io.murmur.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Message.Ack;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Compound;
import io.murmur.protocol.Message.Dead;
import io.murmur.protocol.Message.IndirectPing;
import io.murmur.protocol.Message.Nack;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.Message.PushNodeState;
import io.murmur.protocol.Message.PushPull;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.Message.UserMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Randomized round trips: every valid message encodes, decodes to an equal message, and encodes again to the same
 * bytes. Re-run a failure with {@code -Dmurmur.seed=<seed>} (the seed is in the failure message and the test output).
 */
class CodecRoundTripTest {

    private static final long SEED = Long.getLong("murmur.seed", 0x6d75726d75724cL);
    private static final int MESSAGES = 4_000;

    private final Codec codec = new Codec();

    @BeforeAll
    static void logSeed() {
        System.out.println("CodecRoundTripTest seed " + SEED + " (re-run with -Dmurmur.seed=" + SEED + ")");
    }

    @Test
    void randomMessagesRoundTripOnTheStreamPathAndOnThePacketPathWhenTheyFit() {
        long seed = SEED;
        SplittableRandom random = new SplittableRandom(seed);
        RandomMessages messages = new RandomMessages(random);
        Set<Class<?>> seen = new HashSet<>();
        int packets = 0;
        for (int i = 0; i < MESSAGES; i++) {
            Message m = messages.any();
            seen.add(m.getClass());
            Supplier<String> context = context(seed, i, m);

            byte[] body = codec.encode(m);
            byte[] frame = codec.frame(m);
            assertArrayEquals(concat(header(), body), frame, context);
            assertArrayEquals(body, codec.encode(m), context); // deterministic
            assertEquals(new Decoded.Ok(m), codec.decodeStream(frame), context);
            if (frame.length <= codec.limits().maxPacketBytes()) {
                assertEquals(new Decoded.Ok(m), codec.decodePacket(frame), context);
                packets++;
            }
            Message decoded = ((Decoded.Ok) codec.decodeStream(frame)).message();
            assertArrayEquals(body, codec.encode(decoded), context);
        }
        assertEquals(Set.of(Message.class.getPermittedSubclasses()), seen, "seed " + SEED);
        assertTrue(packets > MESSAGES / 2, "seed " + SEED + ": too few messages fit a packet: " + packets);
    }

    @Test
    void randomPreEncodedPartsFrameLikeTheCompoundTheyMakeUp() {
        long seed = SEED + 1;
        SplittableRandom random = new SplittableRandom(seed);
        RandomMessages messages = new RandomMessages(random);
        for (int i = 0; i < 500; i++) {
            Compound compound = messages.compound();
            Supplier<String> context = context(seed, i, compound);
            List<byte[]> parts = compound.parts().stream().map(codec::encode).toList();
            byte[] frame = codec.frame(parts);
            assertArrayEquals(codec.frame(compound), frame, context);
            int size = Codec.HEADER_BYTES + Codec.compoundOverhead(parts.size());
            for (byte[] p : parts) {
                size += Codec.partOverhead(p.length) + p.length;
            }
            assertEquals(size, frame.length, context);
            assertEquals(new Decoded.Ok(compound), codec.decodeStream(frame), context);
        }
    }

    @Test
    void randomMessagesDecodeFromASliceOfALargerBuffer() {
        long seed = SEED + 2;
        SplittableRandom random = new SplittableRandom(seed);
        RandomMessages messages = new RandomMessages(random);
        for (int i = 0; i < 500; i++) {
            Message m = messages.any();
            byte[] frame = codec.frame(m);
            int before = random.nextInt(16);
            int after = random.nextInt(16);
            byte[] buffer = new byte[before + frame.length + after];
            random.nextBytes(buffer);
            System.arraycopy(frame, 0, buffer, before, frame.length);
            assertEquals(new Decoded.Ok(m), codec.decodeStream(buffer, before, frame.length), context(seed, i, m));
        }
    }

    @Test
    void extremeFieldValuesRoundTrip() {
        String longestAsciiName = "n".repeat(NodeInfo.MAX_NAME_BYTES);
        String longestEmojiName = "\uD83D\uDE00".repeat(NodeInfo.MAX_NAME_BYTES / 4) + "abc"; // 63 * 4 + 3 bytes
        String longestHost = "h".repeat(Address.MAX_HOST_BYTES);
        Address lowest = new Address("0", 0);
        Address highest = new Address(longestHost, 0xFFFF);
        Bytes fullMeta = Bytes.of(filled(NodeInfo.MAX_META_BYTES));
        NodeInfo fullNode =
                new NodeInfo(longestEmojiName, highest, fullMeta, new Versions(255, 255, 255, 255, 255, 255));
        List<Message> extremes = List.of(
                new Ping(Integer.MIN_VALUE, longestAsciiName, longestEmojiName, highest),
                new Ping(Integer.MAX_VALUE, "a", "b", lowest),
                new IndirectPing(-1, longestEmojiName, highest, false, longestAsciiName, lowest),
                new Ack(0, Bytes.EMPTY),
                new Ack(-1, Bytes.of(filled(codec.limits().maxPacketBytes() - 64))),
                new Nack(Integer.MIN_VALUE),
                new Alive(0, new NodeInfo("a", lowest, Bytes.EMPTY, new Versions(0, 0, 0, 0, 0, 0))),
                new Alive(Message.MAX_INCARNATION, fullNode),
                new Suspect(Message.MAX_INCARNATION, longestEmojiName, longestAsciiName),
                new Dead(Message.MAX_INCARNATION, longestAsciiName, longestAsciiName),
                new PushPull(false, List.of(), Bytes.EMPTY),
                new PushPull(
                        true,
                        List.of(new PushNodeState(fullNode, Message.MAX_INCARNATION, NodeState.LEFT)),
                        Bytes.of(filled(100_000))),
                new UserMessage(Bytes.EMPTY),
                new UserMessage(Bytes.of(filled(1 << 20))));
        for (Message m : extremes) {
            byte[] frame = codec.frame(m);
            assertEquals(new Decoded.Ok(m), codec.decodeStream(frame), m::toString);
            assertArrayEquals(frame, codec.frame(((Decoded.Ok) codec.decodeStream(frame)).message()), m::toString);
        }
    }

    @Test
    void oneCodecDecodesAndEncodesOnManyThreadsAtOnce() throws Exception {
        long seed = SEED + 3;
        List<Message> messages = new ArrayList<>();
        RandomMessages random = new RandomMessages(new SplittableRandom(seed));
        for (int i = 0; i < 200; i++) {
            messages.add(random.any());
        }
        List<byte[]> frames = messages.stream().map(codec::frame).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < 10; round++) {
                        for (int i = 0; i < messages.size(); i++) {
                            int k = (i + offset * 25) % messages.size();
                            assertEquals(new Decoded.Ok(messages.get(k)), codec.decodeStream(frames.get(k)));
                            assertArrayEquals(frames.get(k), codec.frame(messages.get(k)));
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Supplier<String> context(long seed, int iteration, Message m) {
        return () -> "seed " + seed + ", iteration " + iteration + ": " + m;
    }

    private static byte[] header() {
        return new byte[] {Codec.MAGIC, Codec.VERSION, 0};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] filled(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }
}
