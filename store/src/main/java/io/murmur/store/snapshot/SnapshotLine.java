package io.murmur.store.snapshot;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * A snapshot line on disk: the record's {@link SnapshotRecord#body() body} in UTF-8, a space, {@code *}, the
 * CRC-32C of the body bytes as 8 lowercase hex digits, and {@code \n}. For example
 * {@code alive: node-1 10.0.0.1:7946 *3c1f09ab}. The newline commits the line: a line without one is torn.
 */
final class SnapshotLine {

    /** {@code " *"} and eight hex digits. */
    static final int SUFFIX_LENGTH = 10;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** What one complete line (without its newline) decodes to. */
    sealed interface Decoded {}

    /** A record to apply. */
    record Good(SnapshotRecord record) implements Decoded {}

    /** A valid line that carries nothing for us: Serf's legacy {@code coordinate:} lines. */
    enum Ignored implements Decoded {
        INSTANCE
    }

    /** A line that cannot be trusted, and why. */
    record Bad(String reason) implements Decoded {}

    private SnapshotLine() {}

    /** The bytes of {@code record}'s line, checksum and newline included. */
    static byte[] encode(SnapshotRecord record) {
        byte[] body = record.body().getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[body.length + SUFFIX_LENGTH + 1];
        System.arraycopy(body, 0, line, 0, body.length);
        line[body.length] = ' ';
        line[body.length + 1] = '*';
        long crc = crc(line, 0, body.length);
        for (int i = 0; i < 8; i++) {
            line[body.length + 2 + i] = HEX[(int) (crc >>> (28 - 4 * i)) & 0xF];
        }
        line[line.length - 1] = '\n';
        return line;
    }

    /** Whether {@code bytes[start, end)}, a line without its newline, ends in a checksum that matches its body. */
    static boolean hasValidChecksum(byte[] bytes, int start, int end) {
        int bodyEnd = end - SUFFIX_LENGTH;
        if (bodyEnd < start || bytes[bodyEnd] != ' ' || bytes[bodyEnd + 1] != '*') {
            return false;
        }
        long stated = 0;
        for (int i = bodyEnd + 2; i < end; i++) {
            int digit = hexValue(bytes[i]);
            if (digit < 0) {
                return false;
            }
            stated = (stated << 4) | digit;
        }
        return stated == crc(bytes, start, bodyEnd);
    }

    /**
     * Decodes {@code bytes[start, end)}, a line without its newline. With {@code requireChecksum} a line must carry
     * a valid checksum; without, a line that has none is read as Serf's plain text, which must parse exactly.
     */
    static Decoded decode(byte[] bytes, int start, int end, boolean requireChecksum) {
        int bodyEnd = end;
        if (hasValidChecksum(bytes, start, end)) {
            bodyEnd = end - SUFFIX_LENGTH;
        } else if (requireChecksum) {
            return new Bad("checksum missing or wrong");
        }
        String body;
        try {
            body = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bodyEnd - start))
                    .toString();
        } catch (CharacterCodingException e) {
            return new Bad("not UTF-8");
        }
        if (body.startsWith("coordinate:")) {
            return Ignored.INSTANCE;
        }
        return SnapshotRecord.parse(body).<Decoded>map(Good::new).orElseGet(() -> new Bad("not a snapshot record"));
    }

    private static long crc(byte[] bytes, int start, int end) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, start, end - start);
        return crc.getValue();
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
    }
}
