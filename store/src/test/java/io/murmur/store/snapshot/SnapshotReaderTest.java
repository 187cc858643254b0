package io.murmur.store.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.store.MemoryFileSystem;
import io.murmur.store.snapshot.SnapshotRecord.Alive;
import io.murmur.store.snapshot.SnapshotRecord.Clock;
import io.murmur.store.snapshot.SnapshotRecord.Comment;
import io.murmur.store.snapshot.SnapshotRecord.EventClock;
import io.murmur.store.snapshot.SnapshotRecord.Leave;
import io.murmur.store.snapshot.SnapshotRecord.NotAlive;
import io.murmur.store.snapshot.SnapshotRecord.QueryClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotReaderTest {

    private static final Path PATH = Path.of("serf", "local.snapshot");

    @Test
    void missingFileIsAnEmptySnapshot() throws IOException {
        assertEquals(Snapshot.EMPTY, SnapshotReader.replay(new MemoryFileSystem(), PATH));
        assertTrue(Snapshot.EMPTY.isClean());
    }

    @Test
    void notAliveRemovesTheMemberAndAliveKeepsFileOrder() {
        Snapshot snapshot = SnapshotReader.replay(Records.checksummed(Records.HISTORY));
        assertEquals(
                List.of("node-b", "node-c", "node-d"),
                List.copyOf(snapshot.state().alive().keySet()));
        assertEquals("10.0.0.2:7946", snapshot.state().alive().get("node-b"));
        assertEquals(Records.HISTORY.size(), snapshot.goodRecords());
        assertTrue(snapshot.isClean());
        assertTrue(snapshot.checksummed());
    }

    @Test
    void clocksKeepTheLastValueWrittenEvenWhenLower() {
        SnapshotState state = SnapshotReader.replay(Records.checksummed(
                        List.of(new Clock(9), new EventClock(4), new Clock(7), new QueryClock(2), new EventClock(5))))
                .state();
        assertEquals(7, state.clock());
        assertEquals(5, state.eventClock());
        assertEquals(2, state.queryClock());
    }

    @Test
    void leaveKeepsTheRawAliveSetAndLetsTheCallerChoose() {
        SnapshotState state = SnapshotReader.replay(Records.checksummed(List.of(
                        new Alive("a", "10.0.0.1:1"),
                        new Alive("b", "10.0.0.2:1"),
                        Leave.INSTANCE,
                        new NotAlive("b"),
                        new Clock(3))))
                .state();
        assertTrue(state.leftCleanly());
        assertEquals(Map.of("a", "10.0.0.1:1"), state.alive());
        assertEquals(Map.of(), state.rejoinCandidates(false));
        assertEquals(Map.of("a", "10.0.0.1:1"), state.rejoinCandidates(true));
    }

    @Test
    void aliveAfterLeaveMeansTheNodeCameBack() {
        SnapshotState state = SnapshotReader.replay(Records.checksummed(
                        List.of(new Alive("a", "10.0.0.1:1"), Leave.INSTANCE, new Alive("b", "10.0.0.2:1"))))
                .state();
        assertFalse(state.leftCleanly());
        assertEquals(
                List.of("a", "b"), List.copyOf(state.rejoinCandidates(false).keySet()));
    }

    @Test
    void tornLastLineReadsAsTheStateBeforeItAtEveryByte() {
        List<SnapshotRecord> lasts = List.of(
                new Alive("node-z", "10.0.0.26:7946"),
                new NotAlive("node-b"),
                new Clock(12345),
                new EventClock(10),
                new QueryClock(40),
                Leave.INSTANCE);
        for (SnapshotRecord last : lasts) {
            List<SnapshotRecord> records = new ArrayList<>(Records.HISTORY);
            records.add(last);
            byte[] file = Records.checksummed(records);
            int lineStart = Records.lineStarts(records)[records.size() - 1];
            SnapshotState before = Records.fold(Records.HISTORY);
            for (int cut = lineStart; cut < file.length; cut++) {
                Snapshot torn = SnapshotReader.replay(java.util.Arrays.copyOf(file, cut));
                String where = last.body() + " cut at " + cut;
                assertEquals(before, torn.state(), where);
                assertEquals(cut > lineStart ? 1 : 0, torn.badRecords(), where);
                assertEquals(lineStart, torn.lastGoodRecordEnd(), where);
                assertEquals(Records.HISTORY.size(), torn.goodRecords(), where);
            }
            assertEquals(Records.fold(records), SnapshotReader.replay(file).state());
        }
    }

    @Test
    void tornTailIsIgnoredOnTheMemoryFileSystemToo() throws IOException {
        MemoryFileSystem fs = new MemoryFileSystem();
        List<SnapshotRecord> records = new ArrayList<>(Records.HISTORY);
        records.add(new Alive("node-z", "10.0.0.26:7946"));
        fs.put(PATH, Records.checksummed(records));
        fs.truncate(PATH, fs.size(PATH) - 1); // only the newline is missing: still torn
        Snapshot snapshot = SnapshotReader.replay(fs, PATH);
        assertEquals(Records.fold(Records.HISTORY), snapshot.state());
        assertFalse(snapshot.isClean());
    }

    @Test
    void everySingleBitFlipIsDetectedAndTheOtherRecordsAreRead() {
        List<SnapshotRecord> records = Records.HISTORY;
        byte[] file = Records.checksummed(records);
        int[] starts = Records.lineStarts(records);
        for (int line = 0; line < records.size(); line++) {
            List<SnapshotRecord> others = new ArrayList<>(records);
            others.remove(line);
            SnapshotState expected = Records.fold(others);
            for (int offset = starts[line]; offset < starts[line + 1] - 1; offset++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] flipped = file.clone();
                    flipped[offset] ^= (byte) (1 << bit);
                    Snapshot snapshot = SnapshotReader.replay(flipped);
                    String where = "line " + line + " byte " + offset + " bit " + bit;
                    assertEquals(expected, snapshot.state(), where);
                    assertEquals(records.size() - 1, snapshot.goodRecords(), where);
                    assertTrue(snapshot.badRecords() >= 1, where);
                    assertTrue(snapshot.checksummed(), where);
                }
            }
        }
    }

    @Test
    void aFlippedNewlineLosesTheTwoLinesItJoinedAndNothingElse() {
        List<SnapshotRecord> records = Records.HISTORY;
        byte[] file = Records.checksummed(records);
        int[] starts = Records.lineStarts(records);
        for (int line = 0; line < records.size() - 1; line++) {
            List<SnapshotRecord> others = new ArrayList<>(records);
            others.remove(line + 1);
            others.remove(line);
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = file.clone();
                flipped[starts[line + 1] - 1] ^= (byte) (1 << bit);
                Snapshot snapshot = SnapshotReader.replay(flipped);
                assertEquals(Records.fold(others), snapshot.state(), "line " + line + " bit " + bit);
                assertEquals(1, snapshot.badRecords());
            }
        }
    }

    @Test
    void garbageLinesAreSkippedAndCounted() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Records.checksummed(Records.HISTORY.subList(0, 4)));
        out.writeBytes("hello world\n\nalive: plain 10.9.9.9:1\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '\n'});
        out.writeBytes(Records.checksummed(Records.HISTORY.subList(4, Records.HISTORY.size())));
        Snapshot snapshot = SnapshotReader.replay(out.toByteArray());
        assertEquals(Records.fold(Records.HISTORY), snapshot.state());
        assertEquals(4, snapshot.badRecords());
        assertEquals(Records.HISTORY.size(), snapshot.goodRecords());
        assertEquals(snapshot.fileSize(), snapshot.lastGoodRecordEnd());
        assertFalse(snapshot.isClean());
    }

    @Test
    void serfPlainFormatIsReadAndLegacyCoordinatesIgnored() {
        Snapshot snapshot = SnapshotReader.replay(Records.plain(
                "#serf snapshot",
                "alive: n1 10.0.0.1:7946",
                "alive: n2 10.0.0.2:7946",
                "coordinate: n1 {\"Vec\":[0,0]}",
                "clock: 4",
                "event-clock: 2",
                "query-clock: 1",
                "not-alive: n1",
                "what is this",
                "clock: 5"));
        assertFalse(snapshot.checksummed());
        assertEquals(Map.of("n2", "10.0.0.2:7946"), snapshot.state().alive());
        assertEquals(new SnapshotState(Map.of("n2", "10.0.0.2:7946"), 5, 2, 1, false), snapshot.state());
        assertEquals(9, snapshot.goodRecords());
        assertEquals(1, snapshot.badRecords());
    }

    @Test
    void aChecksummedFileRejectsPlainLines() {
        List<SnapshotRecord> records = List.of(new Comment(SnapshotWriter.HEADER), new Clock(1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Records.checksummed(records));
        out.writeBytes(Records.plain("clock: 99", "leave"));
        Snapshot snapshot = SnapshotReader.replay(out.toByteArray());
        assertEquals(1, snapshot.state().clock());
        assertFalse(snapshot.state().leftCleanly());
        assertEquals(2, snapshot.badRecords());
    }

    @Test
    void randomDamageNeverThrowsAndNeverInventsMembers() {
        long seed = 20240917L;
        Random random = new Random(seed);
        byte[] file = Records.checksummed(Records.HISTORY);
        SnapshotState full = Records.fold(Records.HISTORY);
        for (int round = 0; round < 2_000; round++) {
            byte[] damaged = file.clone();
            int damage = 1 + random.nextInt(4);
            for (int i = 0; i < damage; i++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            Snapshot snapshot = SnapshotReader.replay(damaged);
            String where = "seed " + seed + " round " + round;
            for (Map.Entry<String, String> member : snapshot.state().alive().entrySet()) {
                assertTrue(
                        Records.HISTORY.contains(new Alive(member.getKey(), member.getValue())), where + ": " + member);
            }
            assertTrue(snapshot.goodRecords() <= Records.HISTORY.size(), where);
            if (snapshot.badRecords() == 0) {
                assertEquals(full, snapshot.state(), where);
            }
        }
        for (int round = 0; round < 200; round++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            Snapshot snapshot = SnapshotReader.replay(noise);
            assertEquals(noise.length, snapshot.fileSize(), "seed " + seed + " noise " + round);
        }
    }
}
