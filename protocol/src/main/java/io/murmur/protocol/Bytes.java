package io.murmur.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** An immutable byte string with value equality, for the byte fields of records (meta, payloads). */
public final class Bytes {

    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Bytes of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /** A copy of a slice, which must lie within {@code bytes}. */
    public static Bytes of(byte[] bytes, int offset, int length) {
        // Arrays.copyOfRange would pad a slice that runs past the end with zeros.
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Bytes utf8(String text) {
        return of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Takes ownership of {@code bytes}: the caller must not change the array afterwards. */
    static Bytes wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes);
    }

    public int size() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public byte get(int index) {
        return bytes[index];
    }

    /** A copy of the content. */
    public byte[] toArray() {
        return bytes.clone();
    }

    /** The content decoded as UTF-8. */
    public String utf8() {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The internal array, for the codec only: never to be changed. */
    byte[] unsafeArray() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length <= 32
                ? "0x" + HexFormat.of().formatHex(bytes)
                : "0x" + HexFormat.of().formatHex(bytes, 0, 32) + "..(" + bytes.length + " bytes)";
    }
}
