package io.murmur.serf;

import static io.murmur.serf.CoalesceFixtures.join;
import static io.murmur.serf.CoalesceFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UserEventCoalescerTest {

    private final UserEventCoalescer coalescer = new UserEventCoalescer();

    @Test
    void handlesOnlyUserEventsSentWithCoalesce() {
        assertTrue(coalescer.handles(user("deploy", 1, "v1", true)));
        assertFalse(coalescer.handles(user("deploy", 1, "v1", false)));
        assertFalse(coalescer.handles(join("a")));
        assertThrows(IllegalArgumentException.class, () -> coalescer.add(user("deploy", 1, "v1", false)));
        assertThrows(IllegalArgumentException.class, () -> coalescer.add(join("a")));
    }

    @Test
    void keepsOnlyTheHighestLTimeOfAName() {
        coalescer.add(user("deploy", 1, "v1", true));
        coalescer.add(user("deploy", 3, "v3", true));
        coalescer.add(user("deploy", 2, "v2", true));

        assertEquals(List.of(user("deploy", 3, "v3", true)), coalescer.flush());
    }

    @Test
    void keepsEveryEventAtTheHighestLTime() {
        coalescer.add(user("deploy", 5, "p1", true));
        coalescer.add(user("deploy", 4, "old", true));
        coalescer.add(user("deploy", 5, "p2", true));

        assertEquals(List.of(user("deploy", 5, "p1", true), user("deploy", 5, "p2", true)), coalescer.flush());
    }

    @Test
    void namesAreCoalescedIndependently() {
        coalescer.add(user("deploy", 1, "d1", true));
        coalescer.add(user("restart", 9, "r9", true));
        coalescer.add(user("deploy", 2, "d2", true));

        assertEquals(List.of(user("deploy", 2, "d2", true), user("restart", 9, "r9", true)), coalescer.flush());
    }

    @Test
    void aNewWindowStartsFromNothing() {
        coalescer.add(user("deploy", 7, "d7", true));
        coalescer.flush();
        assertTrue(coalescer.isEmpty());

        // an older event after a flush is still delivered: windows do not remember each other
        coalescer.add(user("deploy", 6, "d6", true));
        assertFalse(coalescer.isEmpty());
        assertEquals(List.of(user("deploy", 6, "d6", true)), coalescer.flush());
        assertEquals(List.of(), coalescer.flush());
    }
}
