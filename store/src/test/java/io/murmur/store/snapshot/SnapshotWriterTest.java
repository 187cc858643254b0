package io.murmur.store.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.store.MemoryFileSystem;
import io.murmur.store.snapshot.SnapshotRecord.Alive;
import io.murmur.store.snapshot.SnapshotRecord.Clock;
import io.murmur.store.snapshot.SnapshotRecord.Comment;
import io.murmur.store.snapshot.SnapshotRecord.EventClock;
import io.murmur.store.snapshot.SnapshotRecord.Leave;
import io.murmur.store.snapshot.SnapshotRecord.NotAlive;
import io.murmur.store.snapshot.SnapshotRecord.QueryClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotWriterTest {

    private static final Path PATH = Path.of("serf", "local.snapshot");
    private static final Path COMPACT = Path.of("serf", "local.snapshot.compact");

    private final MemoryFileSystem fs = new MemoryFileSystem();

    @Test
    void aNewFileStartsWithTheHeaderAndTheClocks() throws IOException {
        try (SnapshotWriter writer = open()) {
            Snapshot snapshot = replay();
            assertTrue(snapshot.isClean());
            assertTrue(snapshot.checksummed());
            assertEquals(4, snapshot.goodRecords());
            assertEquals(SnapshotState.EMPTY, snapshot.state());
            assertEquals(fs.size(PATH), writer.size());
        }
    }

    @Test
    void everyRecordKindReplaysToTheWritersState() throws IOException {
        try (SnapshotWriter writer = open()) {
            Records.EVERY_KIND.forEach(writer::append);
            writer.flush();
            assertEquals(writer.state(), replay().state());
            assertEquals(Records.fold(Records.EVERY_KIND), writer.state());
            assertTrue(replay().isClean());
        }
    }

    @Test
    void appendBuffersAndFlushMakesDurable() throws IOException {
        SnapshotWriter writer = open();
        writer.append(new Alive("a", "10.0.0.1:1"));
        assertEquals(SnapshotState.EMPTY, replay().state()); // nothing written yet
        writer.flush();
        fs.crash(); // only synced bytes survive
        assertEquals(writer.state(), replay().state());
        assertEquals(fs.size(PATH), writer.size());
    }

    @Test
    void recordsThatChangeNothingAreNotWritten() throws IOException {
        SnapshotWriter writer = open();
        assertTrue(writer.append(new Clock(5)));
        assertTrue(writer.append(new EventClock(5)));
        assertTrue(writer.append(new QueryClock(5)));
        assertTrue(writer.append(new Alive("a", "10.0.0.1:1")));
        assertTrue(writer.append(Leave.INSTANCE));
        long size = writer.size();
        assertFalse(writer.append(new Clock(5)));
        assertFalse(writer.append(new EventClock(5)));
        assertFalse(writer.append(new QueryClock(5)));
        assertFalse(writer.append(new NotAlive("unknown")));
        assertFalse(writer.append(Leave.INSTANCE));
        assertEquals(size, writer.size());
        assertTrue(writer.append(new Alive("a", "10.0.0.1:1")), "alive after leave: the node is back");
        assertFalse(writer.append(new Alive("a", "10.0.0.1:1")));
        assertTrue(writer.append(new Alive("a", "10.0.0.9:1")), "new address");
        assertTrue(writer.append(new Comment("always kept")));
    }

    @Test
    void thresholdIsTwiceOneHundredTwentyEightBytesPerMemberAndAtLeast128KiB() throws IOException {
        SnapshotWriter writer = open();
        assertEquals(128 * 1024, writer.compactionThreshold());
        for (int i = 0; i < 1000; i++) {
            writer.append(new Alive("node-" + i, "10.0." + (i / 250) + "." + (i % 250) + ":7946"));
        }
        assertEquals(2 * 128 * 1000, writer.compactionThreshold());
        for (int i = 0; i < 600; i++) {
            writer.append(new NotAlive("node-" + i));
        }
        assertEquals(128 * 1024, writer.compactionThreshold());
    }

    @Test
    void flushCompactsExactlyWhenTheSizePassesTheThreshold() throws IOException {
        SnapshotWriter writer = open();
        writer.append(new Alive("a", "10.0.0.1:7946"));
        writer.append(new Alive("b", "10.0.0.2:7946"));
        writer.append(new EventClock(3));
        long clock = 0;
        while (writer.size() <= writer.compactionThreshold()) {
            writer.flush();
            assertEquals(1, writer.compactions()); // the one at open
            writer.append(new Clock(++clock));
        }
        SnapshotState before = writer.state();
        writer.flush();
        assertEquals(2, writer.compactions());
        assertEquals(before, replay().state());
        assertEquals(List.of("a", "b"), List.copyOf(replay().state().alive().keySet()));
        assertTrue(replay().isClean());
        assertFalse(fs.exists(COMPACT));
        assertEquals(fs.size(PATH), writer.size());
        assertTrue(writer.size() < 300, "compacted to header, two members, three clocks: " + writer.size());

        writer.append(new Alive("c", "10.0.0.3:7946")); // appends land in the new file
        writer.flush();
        assertEquals(writer.state(), replay().state());
    }

    @Test
    void theCompactedFileReplaysToTheSameStateIncludingALeave() throws IOException {
        SnapshotWriter writer = open();
        for (int i = 0; i < 3000; i++) {
            writer.append(new Alive("node-" + (i % 700), "10.1." + (i % 7) + "." + (i % 250) + ":7946"));
            if (i % 3 == 0) {
                writer.append(new NotAlive("node-" + (i % 500)));
            }
            writer.append(new QueryClock(i));
        }
        writer.append(new Clock(77));
        writer.append(Leave.INSTANCE);
        writer.append(new EventClock(78));
        SnapshotState before = writer.state();
        writer.flush();
        assertTrue(writer.compactions() >= 2);
        Snapshot after = replay();
        assertEquals(before, after.state());
        assertEquals(
                List.copyOf(before.alive().keySet()),
                List.copyOf(after.state().alive().keySet()));
        assertTrue(after.state().leftCleanly());
        assertTrue(after.isClean());
    }

    @Test
    void longNamesDoNotMakeEveryFlushCompact() throws IOException {
        SnapshotWriter writer = open();
        String longName = "n".repeat(2000);
        for (int i = 0; i < 100; i++) {
            writer.append(new Alive(longName + i, "10.0.0.1:" + i));
        }
        writer.flush();
        assertEquals(2, writer.compactions());
        assertTrue(writer.size() > 128 * 1024);
        writer.append(new Clock(1));
        writer.flush();
        assertEquals(2, writer.compactions());
        assertEquals(2 * fs.size(PATH) - 2 * SnapshotLine.encode(new Clock(1)).length, writer.compactionThreshold());
    }

    @Test
    void openAppendsToACleanFileWithoutRewritingIt() throws IOException {
        try (SnapshotWriter first = open()) {
            first.append(new Alive("a", "10.0.0.1:1"));
        }
        byte[] before = fs.readAllBytes(PATH);
        try (SnapshotWriter second = open()) {
            assertEquals(0, second.compactions());
            second.append(new Alive("b", "10.0.0.2:1"));
        }
        byte[] after = fs.readAllBytes(PATH);
        assertArrayEquals(before, Arrays.copyOf(after, before.length));
        assertEquals(List.of("a", "b"), List.copyOf(replay().state().alive().keySet()));
    }

    @Test
    void openRewritesATornFileSoNewRecordsAreNotGluedToTheTornLine() throws IOException {
        try (SnapshotWriter first = open()) {
            first.append(new Alive("a", "10.0.0.1:1"));
            first.append(new Alive("b", "10.0.0.2:1"));
        }
        fs.truncate(PATH, fs.size(PATH) - 5);
        try (SnapshotWriter second = open()) {
            assertEquals(1, second.compactions());
            second.append(new Alive("c", "10.0.0.3:1"));
        }
        Snapshot snapshot = replay();
        assertTrue(snapshot.isClean());
        assertEquals(List.of("a", "c"), List.copyOf(snapshot.state().alive().keySet()));
    }

    @Test
    void openConvertsSerfsPlainFormat() throws IOException {
        fs.put(PATH, Records.plain("alive: n1 10.0.0.1:7946", "clock: 8", "event-clock: 2"));
        try (SnapshotWriter writer = open()) {
            assertEquals(1, writer.compactions());
        }
        Snapshot snapshot = replay();
        assertTrue(snapshot.checksummed());
        assertTrue(snapshot.isClean());
        assertEquals(8, snapshot.state().clock());
        assertEquals(2, snapshot.state().eventClock());
    }

    @Test
    void aFailedWriteIsRepairedByCompactionAtTheNextFlush() throws IOException {
        SnapshotWriter writer = open();
        writer.append(new Alive("a", "10.0.0.1:1"));
        fs.failNextWrite(7);
        assertThrows(IOException.class, writer::flush);
        assertFalse(replay().isClean()); // a torn line is on disk
        writer.append(new Alive("b", "10.0.0.2:1"));
        writer.flush();
        assertEquals(2, writer.compactions());
        Snapshot snapshot = replay();
        assertTrue(snapshot.isClean());
        assertEquals(writer.state(), snapshot.state());
    }

    @Test
    void aFailedCompactionKeepsTheOldFileAndIsRetried() throws IOException {
        SnapshotWriter writer = open();
        writer.append(new Alive("a", "10.0.0.1:1"));
        fs.failNextWrite(0);
        assertThrows(IOException.class, writer::flush); // the append fails: compaction is due
        byte[] before = fs.readAllBytes(PATH);
        fs.failNextWrite(10);
        assertThrows(IOException.class, writer::flush); // the compaction fails too
        assertArrayEquals(before, fs.readAllBytes(PATH));
        assertFalse(fs.exists(COMPACT));
        writer.flush();
        assertEquals(writer.state(), replay().state());
        assertTrue(replay().isClean());
    }

    @Test
    void closeFlushesAndAClosedWriterRefusesRecords() throws IOException {
        SnapshotWriter writer = open();
        writer.append(new QueryClock(9));
        writer.close();
        writer.close();
        assertEquals(9, replay().state().queryClock());
        assertThrows(IllegalStateException.class, () -> writer.append(new Clock(1)));
    }

    private SnapshotWriter open() throws IOException {
        return SnapshotWriter.open(fs, PATH, replay());
    }

    private Snapshot replay() throws IOException {
        return SnapshotReader.replay(fs, PATH);
    }
}
