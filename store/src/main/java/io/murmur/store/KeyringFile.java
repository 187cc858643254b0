package io.murmur.store;

import io.murmur.protocol.Keyring;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Serf's keyring file: a JSON array of standard-base64 AES keys, the primary key first, e.g.
 * {@code ["QHOYjmYlxSCBhdfiolhtDQ==", "LhGFBmk9VxbOMTahGkk+lg=="]}.
 *
 * <p>{@link #write} replaces the file atomically (through {@code <path>.tmp} and a rename, so a crash leaves the old
 * keyring or the new, never a torn one) and, where the file system has POSIX permissions, with mode {@code 0600}
 * from the moment the bytes exist ({@link FileSystem#writeAtomicallyOwnerOnly}). {@link #read} accepts exactly that
 * shape, whatever the whitespace; anything else is a {@link CorruptKeyringFileException} naming the file and the
 * problem, never a keyring that silently differs from the file. The JSON is parsed by hand: the grammar needed is an
 * array of strings. Messages never quote key material.
 */
public final class KeyringFile {

    private KeyringFile() {}

    /** The keyring the file at {@code path} holds. {@link java.nio.file.NoSuchFileException} when there is none. */
    public static Keyring read(FileSystem fs, Path path) throws IOException {
        return parse(path, fs.readAllBytes(path));
    }

    /** Replaces the file at {@code path} with {@code keyring}, atomically, readable by its owner only. */
    public static void write(FileSystem fs, Path path, Keyring keyring) throws IOException {
        fs.writeAtomicallyOwnerOnly(path, tempPath(path), format(keyring));
    }

    /** Where {@link #write} puts the new content before renaming it over {@code path}. */
    public static Path tempPath(Path path) {
        return path.resolveSibling(path.getFileName() + ".tmp");
    }

    /** The file's content for {@code keyring}: one key per line, two-space indent, as Serf writes it. */
    public static byte[] format(Keyring keyring) {
        StringBuilder json = new StringBuilder("[");
        List<byte[]> keys = keyring.keys();
        for (int i = 0; i < keys.size(); i++) {
            json.append(i == 0 ? "\n  \"" : ",\n  \"")
                    .append(Keyring.encodeKey(keys.get(i)))
                    .append('"');
        }
        return json.append("\n]\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The keyring in {@code content}, the bytes of the file at {@code path} (used in messages only).
     *
     * @throws CorruptKeyringFileException when the content is not UTF-8, not a JSON array of strings, empty, or holds
     *     a string that is not a base64 AES key
     */
    public static Keyring parse(Path path, byte[] content) throws CorruptKeyringFileException {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CorruptKeyringFileException(path, "not UTF-8 text");
        }
        List<String> encoded = new JsonStrings(path, text).array();
        if (encoded.isEmpty()) {
            throw new CorruptKeyringFileException(path, "the array holds no key; a keyring needs a primary key");
        }
        List<byte[]> keys = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            try {
                keys.add(Keyring.decodeKey(encoded.get(i)));
            } catch (IllegalArgumentException e) {
                throw new CorruptKeyringFileException(path, "key " + (i + 1) + " is invalid: " + e.getMessage());
            }
        }
        return Keyring.of(keys);
    }

    /** A keyring file that exists but does not hold a keyring. */
    public static final class CorruptKeyringFileException extends IOException {
        private final transient Path path;
        private final String problem;

        public CorruptKeyringFileException(Path path, String problem) {
            super("keyring file " + path + " is corrupt: " + problem);
            this.path = path;
            this.problem = problem;
        }

        /** The file. */
        public Path path() {
            return path;
        }

        /** What is wrong with it. */
        public String problem() {
            return problem;
        }
    }

    /** A parser for the one JSON shape a keyring file has: an array of strings. */
    private static final class JsonStrings {
        private final Path path;
        private final String text;
        private int pos;

        JsonStrings(Path path, String text) {
            this.path = path;
            this.text = text;
        }

        List<String> array() throws CorruptKeyringFileException {
            List<String> strings = new ArrayList<>();
            skipWhitespace();
            expect('[', "a JSON array");
            skipWhitespace();
            if (peek() == ']') {
                pos++;
            } else {
                while (true) {
                    skipWhitespace();
                    strings.add(string());
                    skipWhitespace();
                    char c = peek();
                    pos++;
                    if (c == ']') {
                        break;
                    }
                    if (c != ',') {
                        pos--;
                        throw corrupt("expected ',' or ']'");
                    }
                }
            }
            skipWhitespace();
            if (pos < text.length()) {
                throw corrupt("unexpected content after the array");
            }
            return strings;
        }

        private String string() throws CorruptKeyringFileException {
            expect('"', "a string (only base64 key strings may be in the array)");
            StringBuilder s = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw corrupt("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return s.toString();
                } else if (c < 0x20) {
                    pos--;
                    throw corrupt("control character inside a string");
                } else if (c != '\\') {
                    s.append(c);
                } else if (pos >= text.length()) {
                    throw corrupt("unterminated string");
                } else {
                    char e = text.charAt(pos++);
                    switch (e) {
                        case '"', '\\', '/' -> s.append(e);
                        case 'b' -> s.append('\b');
                        case 'f' -> s.append('\f');
                        case 'n' -> s.append('\n');
                        case 'r' -> s.append('\r');
                        case 't' -> s.append('\t');
                        case 'u' -> s.append(unicodeEscape());
                        default -> {
                            pos--;
                            throw corrupt("invalid escape '\\" + e + "'");
                        }
                    }
                }
            }
        }

        private char unicodeEscape() throws CorruptKeyringFileException {
            if (pos + 4 > text.length()) {
                throw corrupt("truncated \\u escape");
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(text.charAt(pos + i), 16);
                if (digit < 0) {
                    throw corrupt("invalid \\u escape");
                }
                value = value * 16 + digit;
            }
            pos += 4;
            return (char) value;
        }

        private void expect(char c, String what) throws CorruptKeyringFileException {
            if (peek() != c) {
                throw corrupt("expected " + what);
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipWhitespace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private CorruptKeyringFileException corrupt(String problem) {
            String at = pos >= text.length() ? "at the end" : "at character " + pos;
            return new CorruptKeyringFileException(path, "not a JSON array of strings: " + problem + " " + at);
        }
    }
}
