package io.murmur.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BytesTest {

    @Test
    void equalContentIsEqualWithEqualHashCodes() {
        Bytes a = Bytes.of(new byte[] {1, 2, 3});
        Bytes b = Bytes.of(new byte[] {0, 1, 2, 3, 4}, 1, 3);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Bytes.of(new byte[] {1, 2, 4}));
        assertNotEquals(a, Bytes.of(new byte[] {1, 2}));
        assertNotEquals(a, Bytes.EMPTY);
        assertNotEquals(a, (Object) new byte[] {1, 2, 3});
        assertEquals(Bytes.utf8("hé"), Bytes.of("hé".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void emptyContentIsTheEmptyConstant() {
        assertSame(Bytes.EMPTY, Bytes.of(new byte[0]));
        assertSame(Bytes.EMPTY, Bytes.of(new byte[4], 2, 0));
        assertSame(Bytes.EMPTY, Bytes.utf8(""));
        assertTrue(Bytes.EMPTY.isEmpty());
        assertEquals(0, Bytes.EMPTY.size());
    }

    @Test
    void changingTheSourceArrayDoesNotChangeTheBytes() {
        byte[] source = {1, 2, 3};
        Bytes whole = Bytes.of(source);
        Bytes slice = Bytes.of(source, 1, 2);
        source[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, whole.toArray());
        assertArrayEquals(new byte[] {2, 3}, slice.toArray());
    }

    @Test
    void changingACopyOutDoesNotChangeTheBytes() {
        Bytes b = Bytes.of(new byte[] {1, 2, 3});
        byte[] out = b.toArray();
        out[0] = 9;
        assertEquals(1, b.get(0));
        assertArrayEquals(new byte[] {1, 2, 3}, b.toArray());
    }

    @Test
    void sliceOutsideTheArrayIsRejectedNotPadded() {
        byte[] source = {1, 2};
        assertThrows(IndexOutOfBoundsException.class, () -> Bytes.of(source, 1, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> Bytes.of(source, 3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Bytes.of(source, -1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> Bytes.of(source, 0, -1));
    }

    @Test
    void utf8RoundTripsText() {
        assertEquals("nöde 名 \uD83D\uDE00", Bytes.utf8("nöde 名 \uD83D\uDE00").utf8());
        assertEquals(4, Bytes.utf8("\uD83D\uDE00").size());
    }

    @Test
    void toStringShowsHexAndTruncatesLongContent() {
        assertEquals("0xcafe", Bytes.of(new byte[] {(byte) 0xCA, (byte) 0xFE}).toString());
        assertEquals("0x", Bytes.EMPTY.toString());
        String longOne = Bytes.of(new byte[100]).toString();
        assertEquals("0x" + "00".repeat(32) + "..(100 bytes)", longOne);
    }

    @Test
    void byteOutsideTheContentIsAProgrammerError() {
        Bytes b = Bytes.of(new byte[] {1});
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(-1));
    }
}
