package io.murmur.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.murmur.protocol.Keyring;
import io.murmur.store.KeyringFile.CorruptKeyringFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringFileTest {

    static final Path PATH = Path.of("/etc/murmur/keyring");

    static byte[] key(int length, int fill) {
        byte[] k = new byte[length];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    final byte[] a = key(16, 1);
    final byte[] b = key(32, 2);
    final MemoryFileSystem fs = new MemoryFileSystem();

    @Test
    void writeThenReadKeepsTheKeysAndThePrimaryFirst() throws IOException {
        Keyring ring = Keyring.of(List.of(a, b));
        ring.use(b);
        KeyringFile.write(fs, PATH, ring);
        Keyring read = KeyringFile.read(fs, PATH);
        assertArrayEquals(b, read.primary());
        assertEquals(2, read.size());
        assertArrayEquals(a, read.keys().get(1));
        assertFalse(fs.exists(KeyringFile.tempPath(PATH)));
    }

    @Test
    void theFileIsSerfsJsonArrayOfBase64Keys() throws IOException {
        KeyringFile.write(fs, PATH, Keyring.of(List.of(a, b)));
        String json = new String(fs.readAllBytes(PATH), StandardCharsets.UTF_8);
        assertEquals("[\n  \"" + b64(a) + "\",\n  \"" + b64(b) + "\"\n]\n", json);
    }

    @Test
    void readAcceptsAnyJsonWhitespaceAndEscapes() throws IOException {
        String withEscape = b64(b).replace("/", "\\/"); // a JSON writer may escape '/'
        fs.put(PATH, ("\t[\"" + b64(a) + "\" , \r\n\"" + withEscape + "\"]  ").getBytes(StandardCharsets.UTF_8));
        Keyring read = KeyringFile.read(fs, PATH);
        assertArrayEquals(a, read.primary());
        assertArrayEquals(b, read.keys().get(1));
        fs.put(PATH, ("[\"\\u0041" + b64(a).substring(1) + "\"]").getBytes(StandardCharsets.UTF_8));
        assertEquals(16, KeyringFile.read(fs, PATH).primary().length);
    }

    @Test
    void aMissingFileIsNoSuchFileNotCorrupt() {
        assertThrows(NoSuchFileException.class, () -> KeyringFile.read(fs, PATH));
    }

    @Test
    void everyKindOfCorruptionIsATypedErrorNamingTheFileAndTheProblem() {
        String good = "\"" + b64(a) + "\"";
        String[][] cases = {
            {"", "expected a JSON array"},
            {"not json", "expected a JSON array"},
            {"{\"keys\": []}", "expected a JSON array"},
            {"[]", "holds no key"},
            {"  [ ]  ", "holds no key"},
            {"[" + good, "expected ',' or ']' at the end"},
            {"[" + good + ",]", "expected a string"},
            {"[" + good + "] []", "unexpected content after the array"},
            {"[1]", "expected a string"},
            {"[" + good + ", null]", "expected a string"},
            {"[[" + good + "]]", "expected a string"},
            {"[\"" + b64(a), "unterminated string"},
            {"[\"a\\qb\"]", "invalid escape"},
            {"[\"\\u12\"]", "invalid \\u escape"},
            {"[\"a\nb\"]", "control character"},
            {"[\"not base64!\"]", "key 1 is invalid: a key must be standard base64"},
            {"[" + good + ", \"" + b64(new byte[20]) + "\"]", "key 2 is invalid: a key must be 16, 24 or 32 bytes"},
        };
        for (String[] c : cases) {
            fs.put(PATH, c[0].getBytes(StandardCharsets.UTF_8));
            CorruptKeyringFileException e =
                    assertThrows(CorruptKeyringFileException.class, () -> KeyringFile.read(fs, PATH), c[0]);
            assertEquals(PATH, e.path());
            assertTrue(e.problem().contains(c[1]), () -> c[0] + " gave: " + e.problem());
            assertTrue(e.getMessage().startsWith("keyring file " + PATH + " is corrupt: "), e.getMessage());
        }
    }

    @Test
    void bytesThatAreNotUtf8AreCorrupt() {
        fs.put(PATH, new byte[] {'[', '"', (byte) 0xC3, '"', ']'});
        CorruptKeyringFileException e =
                assertThrows(CorruptKeyringFileException.class, () -> KeyringFile.read(fs, PATH));
        assertEquals("not UTF-8 text", e.problem());
    }

    @Test
    void aFailedWriteLeavesTheOldKeyring() throws IOException {
        KeyringFile.write(fs, PATH, Keyring.of(List.of(a)));
        fs.failNextWrite(5);
        assertThrows(IOException.class, () -> KeyringFile.write(fs, PATH, Keyring.of(List.of(b))));
        assertArrayEquals(a, KeyringFile.read(fs, PATH).primary());
    }

    @Test
    void onARealDiskTheFileIsReadableByItsOwnerOnly(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("keyring");
        KeyringFile.write(RealFileSystem.INSTANCE, path, Keyring.of(List.of(a, b)));
        Keyring read = KeyringFile.read(RealFileSystem.INSTANCE, path);
        assertArrayEquals(a, read.primary());
        assertFalse(Files.exists(KeyringFile.tempPath(path)));
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }
}
