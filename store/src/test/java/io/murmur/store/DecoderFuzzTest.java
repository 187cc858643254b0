package io.murmur.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.murmur.protocol.Keyring;
import io.murmur.store.KeyringFile.CorruptKeyringFileException;
import io.murmur.store.snapshot.Snapshot;
import io.murmur.store.snapshot.SnapshotReader;
import io.murmur.store.snapshot.SnapshotRecord;
import io.murmur.store.snapshot.SnapshotWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the store's file decoders, whose input is whatever is on disk (see docs/fuzzing.md):
 * never a throw beyond the documented one, deterministic, and what decodes survives being written back.
 */
class DecoderFuzzTest {

    private static final Path SNAPSHOT = Path.of("serf", "local.snapshot");
    private static final Path KEYRING = Path.of("serf", "local.keyring");

    @FuzzTest
    void snapshotFile(byte[] input) throws IOException {
        Snapshot replayed = SnapshotReader.replay(input);
        assertEquals(replayed, SnapshotReader.replay(input.clone()), "replaying is deterministic");
        assertEquals(input.length, replayed.fileSize());
        assertTrue(replayed.goodRecords() + replayed.badRecords() <= lines(input) + 1, "a record per line at most");
        // Opening a file that is not clean compacts it: the rewrite must replay to the same state, cleanly.
        MemoryFileSystem fs = new MemoryFileSystem();
        fs.writeAtomically(SNAPSHOT, Path.of("serf", "local.snapshot.tmp"), input);
        try (SnapshotWriter writer = SnapshotWriter.open(fs, SNAPSHOT, replayed)) {
            writer.flush();
        }
        Snapshot rewritten = SnapshotReader.replay(fs, SNAPSHOT);
        assertEquals(replayed.state(), rewritten.state(), "a compacted snapshot replays to the same state");
        if (!replayed.isClean() || !replayed.checksummed()) {
            assertTrue(rewritten.isClean() && rewritten.checksummed(), "a compacted snapshot is clean");
        }
    }

    @FuzzTest
    void keyringFile(byte[] input) {
        Keyring keyring;
        try {
            keyring = KeyringFile.parse(KEYRING, input);
        } catch (CorruptKeyringFileException rejected) {
            return; // the documented rejection; anything else thrown fails the target
        }
        byte[] written = KeyringFile.format(keyring);
        try {
            assertEquals(keyring.toString(), KeyringFile.parse(KEYRING, written).toString());
            assertEquals(
                    keyring.keys().stream().map(Keyring::encodeKey).toList(),
                    KeyringFile.parse(KEYRING, written).keys().stream()
                            .map(Keyring::encodeKey)
                            .toList(),
                    "a parsed keyring is written back and parses to the same keys, primary first");
        } catch (CorruptKeyringFileException e) {
            throw new AssertionError("a parsed keyring, written back, does not parse", e);
        }
    }

    private static int lines(byte[] input) {
        int n = 0;
        for (byte b : input) {
            n += b == '\n' ? 1 : 0;
        }
        return n;
    }

    /** Seeds are files the writers produce today, and Serf's plain formats; see SeedFiles. */
    @Test
    void seedCorpusMatchesTheWriters() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        MemoryFileSystem fs = new MemoryFileSystem();
        try (SnapshotWriter writer = SnapshotWriter.open(fs, SNAPSHOT, Snapshot.EMPTY)) {
            for (SnapshotRecord r : List.of(
                    new SnapshotRecord.Alive("node-a", "10.0.0.1:7946"),
                    new SnapshotRecord.Alive("nöde b", "[::1]:7946"),
                    new SnapshotRecord.Clock(3),
                    new SnapshotRecord.EventClock(9),
                    new SnapshotRecord.QueryClock(Long.MAX_VALUE),
                    new SnapshotRecord.NotAlive("node-a"),
                    new SnapshotRecord.Comment("a comment"),
                    SnapshotRecord.Leave.INSTANCE)) {
                writer.append(r);
            }
            writer.flush();
        }
        seeds.put("snapshotFile/murmur-checksummed", fs.readAllBytes(SNAPSHOT));
        seeds.put(
                "snapshotFile/serf-plain",
                String.join(
                                "\n",
                                "alive: node-a 10.0.0.1:7946",
                                "alive: node-b [::1]:7946",
                                "clock: 3",
                                "event-clock: 9",
                                "query-clock: 12",
                                "not-alive: node-a",
                                "coordinate: {}",
                                "leave",
                                "")
                        .getBytes(StandardCharsets.UTF_8));
        byte[] k1 = new byte[16];
        byte[] k2 = new byte[32];
        k2[31] = 7;
        seeds.put("keyringFile/serf", KeyringFile.format(Keyring.of(List.of(k1, k2))));
        seeds.put(
                "keyringFile/escaped-one-line",
                ("[\"" + Base64.getEncoder().encodeToString(new byte[24]).replace("/", "\\/") + "\" ]")
                        .getBytes(StandardCharsets.UTF_8));
        SeedFiles.check(Path.of("src/test/resources/io/murmur/store/DecoderFuzzTestInputs"), seeds);
    }
}
