package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Bytes;
import io.murmur.protocol.SerfMessage.EventBucket;
import io.murmur.protocol.SerfMessage.UserEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserEventsTest {

    final UserEvents events = new UserEvents(SerfConfig.defaults());

    @Test
    void anEventIsNewsOnceThenADuplicate() {
        UserEvent e = new UserEvent(3, "deploy", Bytes.utf8("v1"), false);
        assertTrue(events.receive(e).isPresent());
        assertTrue(events.receive(e).isEmpty());
        assertEquals(1, events.duplicates());
        // Same time, other payload: another event.
        assertTrue(events.receive(new UserEvent(3, "deploy", Bytes.utf8("v2"), false))
                .isPresent());
    }

    @Test
    void firedEventsAreStampedWithTheClockAndKnownLocally() {
        UserEvent first = events.fire("a", Bytes.EMPTY, false);
        UserEvent second = events.fire("a", Bytes.EMPTY, false);
        assertEquals(1, first.ltime());
        assertEquals(2, second.ltime());
        assertTrue(events.receive(first).isEmpty(), "our own gossip coming back is a duplicate");
    }

    @Test
    void sizeLimitIsNamePlusPayload() {
        events.fire("n", Bytes.of(new byte[511]), false);
        UserEvents.TooLarge e =
                assertThrows(UserEvents.TooLarge.class, () -> events.fire("nn", Bytes.of(new byte[511]), false));
        assertTrue(e.getMessage().contains("513 bytes"), e.getMessage());
    }

    @Test
    void eventsOlderThanTheWindowAreDropped() {
        events.receive(new UserEvent(2000, "x", Bytes.EMPTY, false));
        assertTrue(events.receive(new UserEvent(2000 - 600, "old", Bytes.EMPTY, false))
                .isEmpty());
        assertTrue(events.receive(new UserEvent(2000 - 100, "recent", Bytes.EMPTY, false))
                .isPresent());
    }

    @Test
    void aMinimumTimeHidesOldEvents() {
        events.ignoreBefore(10);
        assertTrue(events.receive(new UserEvent(9, "x", Bytes.EMPTY, false)).isEmpty());
        assertTrue(events.receive(new UserEvent(10, "x", Bytes.EMPTY, false)).isPresent());
    }

    @Test
    void pushPullMergeDeliversMissedEventsOrSkipsThemOnAnIgnoreOldJoin() {
        List<EventBucket> remote = List.of(
                new EventBucket(4, List.of(new UserEvent(4, "a", Bytes.EMPTY, false))),
                new EventBucket(5, List.of(new UserEvent(5, "b", Bytes.EMPTY, false))));
        UserEvents skipping = new UserEvents(SerfConfig.defaults());
        assertTrue(skipping.merge(6, remote, true).isEmpty());
        assertEquals(6, skipping.minTime());
        assertEquals(2, events.merge(6, remote, false).size());
        assertEquals(2, events.recent().size());
        assertTrue(events.merge(6, remote, false).isEmpty());
    }
}
