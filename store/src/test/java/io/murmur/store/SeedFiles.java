package io.murmur.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Committed fuzz seeds kept equal to what the encoders produce today. */
final class SeedFiles {
    private SeedFiles() {}

    static void check(Path inputs, Map<String, byte[]> seeds) throws IOException {
        boolean write = Boolean.getBoolean("murmur.fuzz.writeSeeds");
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            Path file = inputs.resolve(seed.getKey());
            if (write) {
                Files.createDirectories(file.getParent());
                Files.write(file, seed.getValue());
            } else {
                assertArrayEquals(
                        seed.getValue(),
                        Files.readAllBytes(file),
                        file + " differs from the encoder; rerun with -Dmurmur.fuzz.writeSeeds=true");
            }
        }
    }
}
