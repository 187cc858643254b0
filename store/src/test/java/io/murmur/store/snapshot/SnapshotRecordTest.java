package io.murmur.store.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.store.snapshot.SnapshotRecord.Alive;
import io.murmur.store.snapshot.SnapshotRecord.Clock;
import io.murmur.store.snapshot.SnapshotRecord.Comment;
import io.murmur.store.snapshot.SnapshotRecord.EventClock;
import io.murmur.store.snapshot.SnapshotRecord.Leave;
import io.murmur.store.snapshot.SnapshotRecord.NotAlive;
import io.murmur.store.snapshot.SnapshotRecord.QueryClock;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotRecordTest {

    @Test
    void everyRecordRoundTripsThroughItsBody() {
        for (SnapshotRecord record : Records.EVERY_KIND) {
            assertEquals(Optional.of(record), SnapshotRecord.parse(record.body()), record.body());
        }
    }

    @Test
    void everyRecordRoundTripsThroughItsChecksummedLine() {
        for (SnapshotRecord record : Records.EVERY_KIND) {
            byte[] line = SnapshotLine.encode(record);
            String text = new String(line, StandardCharsets.UTF_8);
            assertTrue(text.matches("(?s).* \\*[0-9a-f]{8}\n"), text);
            assertEquals(
                    new SnapshotLine.Good(record), SnapshotLine.decode(line, 0, line.length - 1, true), record.body());
        }
    }

    @Test
    void linesMatchTheDocumentedFormatByteForByte() {
        // CRC-32C (Castagnoli) of "leave" and "clock: 5", computed independently of this code
        assertEquals("leave *978c27b2\n", line(Leave.INSTANCE));
        assertEquals("clock: 5 *919c149e\n", line(new Clock(5)));
        assertEquals("alive: node-1 10.0.0.1:7946", new Alive("node-1", "10.0.0.1:7946").body());
        assertEquals("not-alive: node-1", new NotAlive("node-1").body());
        assertEquals("event-clock: 7", new EventClock(7).body());
        assertEquals("query-clock: 8", new QueryClock(8).body());
        assertEquals("# hello", new Comment("hello").body());
    }

    @Test
    void serfPlainLinesParse() {
        assertEquals(Optional.of(new Alive("n1", "127.0.0.1:7946")), SnapshotRecord.parse("alive: n1 127.0.0.1:7946"));
        assertEquals(Optional.of(new NotAlive("n1")), SnapshotRecord.parse("not-alive: n1"));
        assertEquals(Optional.of(new Clock(12)), SnapshotRecord.parse("clock: 12"));
        assertEquals(Optional.of(Leave.INSTANCE), SnapshotRecord.parse("leave"));
        assertEquals(Optional.of(new Comment("no space")), SnapshotRecord.parse("#no space"));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {
                "",
                "bogus",
                "Leave",
                "leave ",
                "clock:5",
                "clock: ",
                "clock: 05",
                "clock: +5",
                "clock: -5",
                "clock: 5 ",
                "clock: 99999999999999999999",
                "event-clock: x",
                "alive: n1",
                "alive: n1 ",
                "alive:  10.0.0.1:7946",
                "alive: n1 10.0.0.1",
                "alive: n1 10.0.0.1:99999",
                "not-alive: ",
                "not-alive:n1"
            })
    void inexactLinesAreRejected(String body) {
        assertEquals(Optional.empty(), SnapshotRecord.parse(body));
    }

    @Test
    void constructorsRejectWhatCannotBeWrittenAsOneLine() {
        assertThrows(IllegalArgumentException.class, () -> new Alive("a\nb", "10.0.0.1:1"));
        assertThrows(IllegalArgumentException.class, () -> new Alive("", "10.0.0.1:1"));
        assertThrows(IllegalArgumentException.class, () -> new Alive("a", "host name:1"));
        assertThrows(IllegalArgumentException.class, () -> new Alive("a", "no-port"));
        assertThrows(IllegalArgumentException.class, () -> new NotAlive("a\rb"));
        assertThrows(IllegalArgumentException.class, () -> new Comment("x\ny"));
        assertThrows(IllegalArgumentException.class, () -> new Comment("\uD800"));
        assertThrows(IllegalArgumentException.class, () -> new Clock(-1));
    }

    private static String line(SnapshotRecord record) {
        return new String(SnapshotLine.encode(record), StandardCharsets.UTF_8);
    }
}
