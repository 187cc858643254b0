package io.murmur.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of every protocol decoder that reads bytes from the network (see docs/fuzzing.md).
 *
 * <p>Under {@code mvn test} each target runs once per file in {@code DecoderFuzzTestInputs/<target>/} (valid
 * encodings as seeds, and every crash found so far); with {@code JAZZER_FUZZ=1} Jazzer mutates them. Each target
 * pins: the decoder never throws, decoding is deterministic, and what decodes re-encodes to something that decodes to
 * an equal value.
 */
class DecoderFuzzTest {

    private static final Codec CODEC = new Codec();
    private static final SerfCodec SERF = new SerfCodec();

    @FuzzTest
    void packetFrame(byte[] input) {
        Decoded decoded = CODEC.decodePacket(input);
        assertEquals(decoded, CODEC.decodePacket(input.clone()), "decoding is deterministic");
        if (decoded instanceof Decoded.Ok ok) {
            assertEquals(decoded, CODEC.decodePacket(CODEC.frame(ok.message())), "a decoded packet re-encodes");
        }
    }

    @FuzzTest
    void streamFrame(byte[] input) {
        Decoded decoded = CODEC.decodeStream(input);
        assertEquals(decoded, CODEC.decodeStream(input.clone()), "decoding is deterministic");
        if (decoded instanceof Decoded.Ok ok) {
            assertEquals(decoded, CODEC.decodeStream(CODEC.frame(ok.message())), "a decoded message re-encodes");
        }
    }

    @FuzzTest
    void serfMessage(byte[] input) {
        SerfCodec.Decoded decoded = SERF.decode(Bytes.of(input));
        assertEquals(decoded, SERF.decode(Bytes.of(input)), "decoding is deterministic");
        if (decoded instanceof SerfCodec.Decoded.Ok ok) {
            assertEquals(decoded, SERF.decode(SERF.encode(ok.message())), "a decoded serf message re-encodes");
        }
    }

    @FuzzTest
    void tags(byte[] input) {
        Optional<SortedMap<String, String>> decoded = Tags.decode(Bytes.of(input));
        assertEquals(decoded, Tags.decode(Bytes.of(input)), "decoding is deterministic");
        // Tags travel in node metadata, so only metadata-sized tags must fit again.
        if (decoded.isPresent() && input.length <= NodeInfo.MAX_META_BYTES) {
            assertEquals(decoded, Tags.decode(Tags.encode(decoded.get())), "decoded tags re-encode");
        }
    }

    @FuzzTest
    void keyringKey(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        byte[] key;
        try {
            key = Keyring.decodeKey(text);
        } catch (IllegalArgumentException rejected) {
            return; // the documented rejection; anything else thrown fails the target
        }
        assertArrayEquals(key, Keyring.decodeKey(text), "decoding is deterministic");
        assertArrayEquals(key, Keyring.decodeKey(Keyring.encodeKey(key)), "a decoded key re-encodes");
    }

    /**
     * The seed corpus is valid encodings from the encoders: this pins the committed files to them, and rewrites them
     * when run with {@code -Dmurmur.fuzz.writeSeeds=true} (after an encoding change).
     */
    @Test
    void seedCorpusMatchesTheEncoders() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (GoldenVectors.Vector v : GoldenVectors.ALL) {
            seeds.put("packetFrame/" + v.name(), v.frame());
            seeds.put("streamFrame/" + v.name(), v.frame());
        }
        RandomMessages random = new RandomMessages(new SplittableRandom(20_250_101L));
        for (int i = 0; i < 4; i++) {
            seeds.put("streamFrame/random-push-pull-" + i, CODEC.frame(random.pushPull()));
            seeds.put("packetFrame/random-compound-" + i, CODEC.frame(random.compound()));
        }
        List<SerfMessage> serf = SerfCodecTest.samples();
        for (SerfMessage m : serf) {
            seeds.put(
                    "serfMessage/" + m.getClass().getSimpleName(),
                    SERF.encode(m).toArray());
        }
        seeds.put("tags/two", Tags.encode(Map.of("role", "db", "dc", "eu-west")).toArray());
        seeds.put("tags/unicode", Tags.encode(Map.of("名", "ж€\u0000", "", "")).toArray());
        seeds.put("keyringKey/aes128", "QHOYjmYlxSCBhdfiolhtDQ==".getBytes(StandardCharsets.US_ASCII));
        seeds.put(
                "keyringKey/aes256",
                "5K9OtfP7efFrNKe5WCQvXvnaXJ5cWP0SvXiwe0kkjM4=".getBytes(StandardCharsets.US_ASCII));
        SeedFiles.check(Path.of("src/test/resources/io/murmur/protocol/DecoderFuzzTestInputs"), seeds);
    }
}
