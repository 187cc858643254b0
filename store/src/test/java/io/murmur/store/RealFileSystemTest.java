package io.murmur.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealFileSystemTest {

    private final FileSystem fs = RealFileSystem.INSTANCE;

    @Test
    void appendSyncReadAndDelete(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("f");
        assertFalse(fs.exists(file));
        assertThrows(NoSuchFileException.class, () -> fs.readAllBytes(file));
        try (FileSystem.Appender appender = fs.openForAppend(file)) {
            byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
            appender.write(bytes, 1, 2);
            appender.sync();
        }
        try (FileSystem.Appender appender = fs.openForAppend(file)) {
            appender.write(new byte[] {'d'}, 0, 1);
        }
        assertEquals(3, fs.size(file));
        assertEquals("bcd", Files.readString(file));
        assertTrue(fs.delete(file));
        assertFalse(fs.exists(file));
    }

    @Test
    void writeAtomicallyReplacesTheFileAndLeavesNoTemp(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("f");
        Path temp = dir.resolve("f.compact");
        Files.writeString(file, "old content");
        FileSystem.Appender stale = fs.openForAppend(file);
        fs.writeAtomically(file, temp, "new".getBytes(StandardCharsets.UTF_8));
        stale.write(new byte[] {'!'}, 0, 1); // goes to the replaced file
        stale.close();
        assertEquals("new", Files.readString(file));
        assertFalse(Files.exists(temp));
    }

    @Test
    void aFailedAtomicWriteLeavesTheTargetAlone(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("f");
        Files.writeString(file, "kept");
        Path tempInMissingDir = dir.resolve("missing").resolve("f.compact");
        assertThrows(IOException.class, () -> fs.writeAtomically(file, tempInMissingDir, new byte[] {1}));
        assertEquals("kept", Files.readString(file));
    }

    @Test
    void ownerOnlyWriteLeavesMode0600EvenOverAnOpenFileAndAStaleTemp(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path file = dir.resolve("keyring");
        Path temp = dir.resolve("keyring.tmp");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(temp, "stale temp left by a crash");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-rw-rw-"));
        fs.writeAtomicallyOwnerOnly(file, temp, "secret".getBytes(StandardCharsets.UTF_8));
        assertEquals("secret", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.exists(temp));
    }
}
