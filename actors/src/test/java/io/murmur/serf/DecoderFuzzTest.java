package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.murmur.serf.KeyCommands.NodeKeyResponse;
import io.murmur.serf.KeyCommands.Op;
import io.murmur.serf.coordinate.Coordinate;
import io.murmur.serf.coordinate.CoordinateCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the serf layer's payload decoders, which read bytes from other members (see
 * docs/fuzzing.md): never a throw, deterministic, and what decodes re-encodes to something that decodes the same.
 */
class DecoderFuzzTest {

    private static final HexFormat HEX = HexFormat.of();

    @FuzzTest
    void coordinate(byte[] input) {
        Optional<Coordinate> decoded = CoordinateCodec.decode(input);
        assertEquals(decoded.isPresent(), CoordinateCodec.decode(input.clone()).isPresent(), "deterministic");
        // The layout is fixed, so a coordinate that decodes re-encodes to exactly its input.
        decoded.ifPresent(c -> assertArrayEquals(input, CoordinateCodec.encode(c), "a coordinate re-encodes"));
    }

    @FuzzTest
    void keyRequest(byte[] input) {
        Optional<byte[]> key = KeyCommands.decodeRequest(input);
        assertEquals(
                key.map(HEX::formatHex),
                KeyCommands.decodeRequest(input.clone()).map(HEX::formatHex),
                "deterministic");
        if (key.isPresent()) {
            byte[] k = key.get();
            Optional<byte[]> again = KeyCommands.decodeRequest(KeyCommands.encodeRequest(Op.INSTALL, k));
            assertArrayEquals(k, again.orElseThrow(), "a decoded request re-encodes");
        }
    }

    @FuzzTest
    void keyResponse(byte[] input) {
        Optional<NodeKeyResponse> decoded = KeyCommands.decodeResponse(input);
        assertEquals(decoded, KeyCommands.decodeResponse(input.clone()), "deterministic");
        // No size limit on the way back: only the re-encoding is under test, not Serf's truncation.
        decoded.ifPresent(r ->
                assertEquals(decoded, KeyCommands.decodeResponse(KeyCommands.encodeResponse(r, Integer.MAX_VALUE))));
    }

    /** Seeds are what the encoders produce today; see SeedFiles. */
    @Test
    void seedCorpusMatchesTheEncoders() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put(
                "coordinate/two-dimensions",
                CoordinateCodec.encode(new Coordinate(new double[] {1.5, -2e-3}, 0.25, -1e-4, 1e-5)));
        seeds.put("coordinate/eight-dimensions", CoordinateCodec.encode(new Coordinate(new double[8], 1.5, 0, 1e-5)));
        seeds.put("keyRequest/install", KeyCommands.encodeRequest(Op.INSTALL, new byte[16]));
        seeds.put("keyRequest/list", KeyCommands.encodeRequest(Op.LIST, null));
        seeds.put("keyResponse/success", KeyCommands.encodeResponse(NodeKeyResponse.success()));
        seeds.put("keyResponse/failure", KeyCommands.encodeResponse(NodeKeyResponse.failure("no keyring: ж€")));
        seeds.put(
                "keyResponse/list",
                KeyCommands.encodeResponse(new NodeKeyResponse(
                        true,
                        "",
                        List.of("QHOYjmYlxSCBhdfiolhtDQ==", "LhGFBmk9VxbOMTahGkk+lg=="),
                        "QHOYjmYlxSCBhdfiolhtDQ==")));
        SeedFiles.check(Path.of("src/test/resources/io/murmur/serf/DecoderFuzzTestInputs"), seeds);
    }
}
