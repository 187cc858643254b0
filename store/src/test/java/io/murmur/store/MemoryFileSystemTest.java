package io.murmur.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MemoryFileSystemTest {

    private static final Path FILE = Path.of("dir", "file");
    private static final Path TEMP = Path.of("dir", "file.tmp");

    private final MemoryFileSystem fs = new MemoryFileSystem();

    @Test
    void appendCreatesAndGrowsTheFile() throws IOException {
        assertFalse(fs.exists(FILE));
        assertThrows(NoSuchFileException.class, () -> fs.size(FILE));
        try (FileSystem.Appender appender = fs.openForAppend(FILE)) {
            write(appender, "hello ");
            write(appender, "world");
        }
        assertEquals(11, fs.size(FILE));
        assertEquals("hello world", read(FILE));
        assertTrue(fs.delete(FILE));
        assertFalse(fs.delete(FILE));
    }

    @Test
    void crashDropsWhatWasNotSynced() throws IOException {
        FileSystem.Appender appender = fs.openForAppend(FILE);
        write(appender, "kept");
        appender.sync();
        write(appender, " lost");
        fs.crash();
        assertEquals("kept", read(FILE));
    }

    @Test
    void truncateAndFlipBitDamageTheFile() throws IOException {
        fs.put(FILE, bytes("abcdef"));
        fs.truncate(FILE, 3);
        assertEquals("abc", read(FILE));
        fs.flipBit(FILE, 0, 1);
        assertEquals("cbc", read(FILE));
        assertThrows(IllegalArgumentException.class, () -> fs.truncate(FILE, 4));
    }

    @Test
    void writeAtomicallyReplacesTheFileAndAnOldAppenderWritesToTheReplacedOne() throws IOException {
        FileSystem.Appender old = fs.openForAppend(FILE);
        write(old, "old");
        fs.writeAtomically(FILE, TEMP, bytes("new"));
        write(old, " and more");
        assertEquals("new", read(FILE));
        assertFalse(fs.exists(TEMP));
    }

    @Test
    void failedWritesStoreAPrefixOrNothing() throws IOException {
        FileSystem.Appender appender = fs.openForAppend(FILE);
        fs.failNextWrite(2);
        assertThrows(IOException.class, () -> write(appender, "torn"));
        assertEquals("to", read(FILE));
        write(appender, "!");
        assertEquals("to!", read(FILE));

        fs.failNextWrite(1);
        assertThrows(IOException.class, () -> fs.writeAtomically(FILE, TEMP, bytes("replacement")));
        assertEquals("to!", read(FILE));
        assertFalse(fs.exists(TEMP));
    }

    @Test
    void aClosedAppenderRefusesWrites() throws IOException {
        FileSystem.Appender appender = fs.openForAppend(FILE);
        appender.close();
        assertThrows(IOException.class, () -> write(appender, "x"));
        assertArrayEquals(new byte[0], fs.readAllBytes(FILE));
    }

    private static void write(FileSystem.Appender appender, String text) throws IOException {
        byte[] bytes = bytes(text);
        appender.write(bytes, 0, bytes.length);
    }

    private String read(Path path) throws IOException {
        return new String(fs.readAllBytes(path), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
