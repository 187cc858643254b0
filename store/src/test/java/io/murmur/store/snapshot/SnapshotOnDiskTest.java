package io.murmur.store.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.store.FileSystem;
import io.murmur.store.RealFileSystem;
import io.murmur.store.snapshot.SnapshotRecord.Alive;
import io.murmur.store.snapshot.SnapshotRecord.Clock;
import io.murmur.store.snapshot.SnapshotRecord.EventClock;
import io.murmur.store.snapshot.SnapshotRecord.NotAlive;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotOnDiskTest {

    private final FileSystem fs = RealFileSystem.INSTANCE;

    @Test
    void writeCompactTearAndReplayOnTheRealDisk(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("local.snapshot");
        SnapshotState written;
        try (SnapshotWriter writer = SnapshotWriter.open(fs, path, SnapshotReader.replay(fs, path))) {
            for (int i = 0; i < 8000; i++) {
                writer.append(new Alive("node-" + (i % 40), "10.0.0." + (i % 200) + ":7946"));
                writer.append(new Clock(i));
                if (i % 100 == 0) {
                    writer.append(new NotAlive("node-" + (i % 40)));
                    writer.flush();
                }
            }
            writer.append(new EventClock(99));
            written = writer.state();
            assertTrue(writer.compactions() >= 2, "compactions: " + writer.compactions());
        }
        Snapshot snapshot = SnapshotReader.replay(fs, path);
        assertEquals(written, snapshot.state());
        assertTrue(snapshot.isClean());
        assertFalse(Files.exists(dir.resolve("local.snapshot.compact")));

        try (SnapshotWriter writer = SnapshotWriter.open(fs, path, snapshot)) {
            writer.append(new Alive("late", "10.9.9.9:7946"));
        }
        long size = Files.size(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(size - 3); // tear the last line
        }
        Snapshot torn = SnapshotReader.replay(fs, path);
        assertEquals(written, torn.state());
        assertEquals(1, torn.badRecords());

        try (SnapshotWriter writer = SnapshotWriter.open(fs, path, torn)) {
            assertEquals(1, writer.compactions());
        }
        Snapshot repaired = SnapshotReader.replay(fs, path);
        assertTrue(repaired.isClean());
        assertEquals(
                List.copyOf(written.alive().keySet()),
                List.copyOf(repaired.state().alive().keySet()));
    }
}
