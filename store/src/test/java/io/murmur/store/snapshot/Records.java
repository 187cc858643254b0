package io.murmur.store.snapshot;

import io.murmur.store.snapshot.SnapshotRecord.Alive;
import io.murmur.store.snapshot.SnapshotRecord.Clock;
import io.murmur.store.snapshot.SnapshotRecord.Comment;
import io.murmur.store.snapshot.SnapshotRecord.EventClock;
import io.murmur.store.snapshot.SnapshotRecord.Leave;
import io.murmur.store.snapshot.SnapshotRecord.NotAlive;
import io.murmur.store.snapshot.SnapshotRecord.QueryClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Shared test data: sample records, files built from them, and the state they fold to. */
final class Records {

    /** One of each kind, with awkward names and addresses. */
    static final List<SnapshotRecord> EVERY_KIND = List.of(
            new Comment(SnapshotWriter.HEADER),
            new Alive("node-a", "10.0.0.1:7946"),
            new Alive("node b with spaces", "[::1]:7946"),
            new Alive("nöde-ç", "host.example.com:65535"),
            new Clock(0),
            new Clock(Long.MAX_VALUE),
            new EventClock(17),
            new QueryClock(42),
            new NotAlive("node-a"),
            Leave.INSTANCE,
            new Comment(""),
            new Comment("  indented * comment *12345678"));

    /** A realistic file: header, members, clocks, a departure, more clocks. */
    static final List<SnapshotRecord> HISTORY = List.of(
            new Comment(SnapshotWriter.HEADER),
            new Alive("node-a", "10.0.0.1:7946"),
            new Alive("node-b", "10.0.0.2:7946"),
            new Clock(3),
            new Alive("node-c", "10.0.0.3:7946"),
            new EventClock(9),
            new NotAlive("node-a"),
            new QueryClock(4),
            new Clock(5),
            new Alive("node-d", "10.0.0.4:7946"));

    private Records() {}

    static byte[] checksummed(List<SnapshotRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach(r -> out.writeBytes(SnapshotLine.encode(r)));
        return out.toByteArray();
    }

    static byte[] plain(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static SnapshotState fold(List<SnapshotRecord> records) {
        LiveState state = new LiveState(SnapshotState.EMPTY);
        records.forEach(state::apply);
        return state.snapshot();
    }

    /** Start offsets of each line, plus the file length at the end. */
    static int[] lineStarts(List<SnapshotRecord> records) {
        int[] starts = new int[records.size() + 1];
        for (int i = 0; i < records.size(); i++) {
            starts[i + 1] = starts[i] + SnapshotLine.encode(records.get(i)).length;
        }
        return starts;
    }
}
