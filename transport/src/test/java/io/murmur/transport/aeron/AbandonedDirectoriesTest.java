package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Driver directories that a killed JVM left behind are removed at the next launch, and only those. */
class AbandonedDirectoriesTest {

    @TempDir
    Path base;

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void aDirectoryOfAGoneProcessWithoutAHeartbeatIsRemovedAndNothingElse() throws Exception {
        Path abandoned = Files.createDirectories(base.resolve("murmur-aeron-" + deadPid() + "-a1b2/images"));
        Files.writeString(abandoned.resolve("1.logbuffer"), "left behind");
        Path ours = Files.createDirectory(
                base.resolve("murmur-aeron-" + ProcessHandle.current().pid() + "-c3d4"));
        Path oddName = Files.createDirectory(base.resolve("murmur-aeron-notapid-e5f6"));
        Path other = Files.createDirectory(base.resolve("someone-else"));

        assertEquals(1, EmbeddedMedia.removeAbandonedDirectories(base));

        assertFalse(Files.exists(abandoned.getParent()), "the gone process's directory, with its files");
        assertTrue(Files.exists(ours), "a running process's directory");
        assertTrue(Files.exists(oddName));
        assertTrue(Files.exists(other));
    }

    @Test
    void aDirectoryWhoseDriverStillBeatsIsKeptWhateverItsName() throws Exception {
        try (AeronMedia media = AeronMedia.acquire(
                AeronSettings.defaults().toBuilder().directory(base).build())) {
            // The live driver's mark file under a dead pid's name: its heartbeat is fresh, so it is not abandoned.
            Path copy = Files.createDirectory(base.resolve("murmur-aeron-" + deadPid() + "-live"));
            Files.copy(media.directory().resolve("cnc.dat"), copy.resolve("cnc.dat"));

            assertEquals(0, EmbeddedMedia.removeAbandonedDirectories(base));
            assertTrue(Files.exists(copy));
            assertTrue(Files.exists(media.directory()));
        }
    }

    @Test
    void aLinkUnderADriverDirectorysNameIsNeitherFollowedNorRemoved() throws Exception {
        Path elsewhere = Files.createDirectory(base.resolve("precious"));
        Path file = Files.writeString(elsewhere.resolve("data"), "keep me");
        Path link = Files.createSymbolicLink(base.resolve("murmur-aeron-" + deadPid() + "-link"), elsewhere);

        assertEquals(0, EmbeddedMedia.removeAbandonedDirectories(base));

        assertTrue(Files.exists(file), "what the link points to");
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void anotherUsersDirectoryIsKept() throws Exception {
        Path theirs = Files.createDirectory(base.resolve("murmur-aeron-" + deadPid() + "-theirs"));
        Files.writeString(theirs.resolve("data"), "not ours");
        try {
            Files.setAttribute(theirs, "unix:uid", 65534); // nobody; only root may give a file away
        } catch (java.nio.file.FileSystemException | UnsupportedOperationException e) {
            assumeTrue(false, "cannot give a directory to another user here: " + e);
        }

        assertEquals(0, EmbeddedMedia.removeAbandonedDirectories(base));

        assertTrue(Files.exists(theirs.resolve("data")));
    }
}
