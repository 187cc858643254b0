package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Driver directories that a killed JVM left behind are removed at the next launch, and nothing else is. */
class AbandonedDirectoriesTest {

    @TempDir
    Path base;

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    /** Makes {@code dir} look untouched for a minute, as a directory of a process killed long ago. */
    private static Path aged(Path dir) throws Exception {
        Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minusSeconds(60)));
        return dir;
    }

    @Test
    void anOldDirectoryOfAGoneProcessIsRemovedWithItsFilesAndNothingElse() throws Exception {
        Path abandoned = base.resolve("murmur-aeron-" + deadPid() + "-a1b2");
        Files.createDirectories(abandoned.resolve("images"));
        Files.writeString(abandoned.resolve("images/1.logbuffer"), "left behind");
        aged(abandoned);
        Path ours = aged(Files.createDirectory(
                base.resolve("murmur-aeron-" + ProcessHandle.current().pid() + "-c3")));
        Path oddName = aged(Files.createDirectory(base.resolve("murmur-aeron-notapid-e5f6")));
        Path other = aged(Files.createDirectory(base.resolve("someone-else")));
        Path fresh = Files.createDirectory(base.resolve("murmur-aeron-" + deadPid() + "-starting"));

        assertEquals(1, AbandonedDirectories.removeUnder(base));

        assertFalse(Files.exists(abandoned), "the gone process's directory, with its files");
        assertTrue(Files.exists(ours), "a running process's directory");
        assertTrue(Files.exists(oddName));
        assertTrue(Files.exists(other));
        assertTrue(Files.exists(fresh), "a directory changed just now may be a driver starting in another namespace");
    }

    @Test
    void aLinkWithADeadProcesssNameIsNeverFollowed() throws Exception {
        Path precious = Files.createDirectory(base.resolve("precious"));
        Files.writeString(precious.resolve("keep.txt"), "mine");
        Path link = Files.createSymbolicLink(base.resolve("murmur-aeron-" + deadPid() + "-link"), precious);

        assertEquals(0, AbandonedDirectories.removeUnder(base));

        assertTrue(Files.isSymbolicLink(link));
        assertEquals("mine", Files.readString(precious.resolve("keep.txt")));
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.SECONDS) // Aeron's own check would wait 10 s for a version that never comes
    void aDriverKilledBeforeItWroteItsVersionIsRemovedWithoutWaiting() throws Exception {
        Path dir = Files.createDirectory(base.resolve("murmur-aeron-" + deadPid() + "-half"));
        Files.write(dir.resolve("cnc.dat"), new byte[4096]); // all zeros: no version yet
        aged(dir);

        assertEquals(1, AbandonedDirectories.removeUnder(base));
        assertFalse(Files.exists(dir));
    }

    @Test
    void aDirectoryWhoseDriverStillBeatsIsKeptWhateverItsName() throws Exception {
        try (AeronMedia media = AeronMedia.acquire(
                AeronSettings.defaults().toBuilder().directory(base).build())) {
            // The live driver's mark file under a dead pid's name: its heartbeat is fresh, so it is not abandoned.
            Path copy = Files.createDirectory(base.resolve("murmur-aeron-" + deadPid() + "-live"));
            Files.copy(media.directory().resolve("cnc.dat"), copy.resolve("cnc.dat"));
            aged(copy);

            assertEquals(0, AbandonedDirectories.removeUnder(base));
            assertTrue(Files.exists(copy));
            assertTrue(Files.exists(media.directory()));
        }
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
        aged(theirs); // old and of a gone process: only its owner keeps it

        assertEquals(0, AbandonedDirectories.removeUnder(base));

        assertTrue(Files.exists(theirs.resolve("data")));
    }
}
