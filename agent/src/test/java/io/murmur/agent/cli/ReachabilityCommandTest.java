package io.murmur.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The verdict {@code murmur reachability} prints from the live members and the acks. */
class ReachabilityCommandTest {

    private record Verdict(int exit, String text) {}

    private static Verdict report(Set<String> live, Set<String> acked, boolean duplicates) {
        StringWriter text = new StringWriter();
        int exit = ReachabilityCommand.report(new PrintWriter(text, true), live, acked, duplicates);
        return new Verdict(exit, text.toString());
    }

    @Test
    void acksFromExactlyTheLiveMembersSucceed() {
        Verdict v = report(Set.of("a", "b"), Set.of("b", "a"), false);
        assertEquals(new Verdict(0, "Successfully contacted all live nodes\n"), v);
    }

    @Test
    void aSwappedAckIsNotASuccessThoughTheCountsMatch() {
        Verdict v = report(Set.of("a", "b"), Set.of("a", "x"), false);
        assertEquals(1, v.exit());
        assertTrue(v.text().startsWith("Missing acks from:\n\tb\n"), v.text());
        assertTrue(v.text().contains("Acks from non-live nodes:\n\tx\n"), v.text());
        assertTrue(v.text().contains("Things to check:"), v.text());
    }

    @Test
    void moreAcksThanLiveMembersNamesTheOthers() {
        Verdict v = report(Set.of("a"), Set.of("a", "x", "y"), false);
        assertEquals(1, v.exit());
        assertTrue(
                v.text().startsWith("Received more acks than live nodes! Acks from non-live nodes:\n\tx\n\ty\n"),
                v.text());
    }

    @Test
    void duplicateAcksFailEvenWhenEveryoneAnswered() {
        Verdict v = report(Set.of("a"), Set.of("a"), true);
        assertEquals(1, v.exit());
        assertTrue(v.text().contains("node names are unique"), v.text());
        assertTrue(v.text().endsWith("Successfully contacted all live nodes\n"), v.text());
    }
}
