package io.murmur.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KeyringTest {

    static byte[] key(int length, int fill) {
        byte[] k = new byte[length];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    final byte[] a = key(16, 1);
    final byte[] b = key(24, 2);
    final byte[] c = key(32, 3);

    @Test
    void firstKeyIsPrimaryAndDuplicatesAreKeptOnce() {
        Keyring ring = Keyring.of(List.of(a, b, a.clone(), c));
        assertArrayEquals(a, ring.primary());
        assertEquals(3, ring.size());
        assertKeys(ring, a, b, c);
    }

    @Test
    void keysOfEveryAesLengthAreAcceptedAndOthersRejectedWithTheirLength() {
        for (int n : new int[] {0, 1, 15, 17, 23, 31, 33, 64}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Keyring.of(List.of(new byte[n])));
            assertTrue(e.getMessage().contains("16, 24 or 32 bytes")
                    && e.getMessage().contains("not " + n));
        }
        assertThrows(IllegalArgumentException.class, () -> Keyring.of(List.of()));
        Keyring ring = Keyring.of(List.of(a));
        assertThrows(IllegalArgumentException.class, () -> ring.install(new byte[20]));
        assertKeys(ring, a);
    }

    @Test
    void installAddsASecondaryKeyOnceAndLeavesThePrimary() {
        Keyring ring = Keyring.of(List.of(a));
        ring.install(b);
        ring.install(b.clone());
        assertArrayEquals(a, ring.primary());
        assertKeys(ring, a, b);
        assertTrue(ring.contains(b));
        assertFalse(ring.contains(c));
    }

    @Test
    void useMakesAnInstalledKeyPrimaryAndKeepsTheOldOne() {
        Keyring ring = Keyring.of(List.of(a, b, c));
        ring.use(c);
        assertKeys(ring, c, a, b);
        ring.use(c); // already primary: nothing moves
        assertKeys(ring, c, a, b);
    }

    @Test
    void usingAKeyThatIsNotInstalledFails() {
        Keyring ring = Keyring.of(List.of(a));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.use(c));
        assertTrue(e.getMessage().contains("not installed"));
        assertKeys(ring, a);
    }

    @Test
    void removeDropsASecondaryKeyAndIgnoresAnUnknownOne() {
        Keyring ring = Keyring.of(List.of(a, b, c));
        ring.remove(b);
        assertKeys(ring, a, c);
        ring.remove(b);
        ring.remove(key(16, 9));
        assertKeys(ring, a, c);
    }

    @Test
    void removingThePrimaryKeyFails() {
        Keyring ring = Keyring.of(List.of(a, b));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.remove(a));
        assertTrue(e.getMessage().contains("primary"));
        assertKeys(ring, a, b);
    }

    @Test
    void keysGoInAndOutAsCopies() {
        byte[] mine = a.clone();
        Keyring ring = Keyring.of(new ArrayList<>(List.of(mine)));
        mine[0] = 42;
        ring.primary()[0] = 43;
        ring.keys().get(0)[0] = 44;
        assertArrayEquals(a, ring.primary());
    }

    @Test
    void decodeKeyReadsStandardBase64AndExplainsBadInput() {
        assertArrayEquals(c, Keyring.decodeKey(Base64.getEncoder().encodeToString(c)));
        assertEquals(Base64.getEncoder().encodeToString(b), Keyring.encodeKey(b));
        IllegalArgumentException notBase64 =
                assertThrows(IllegalArgumentException.class, () -> Keyring.decodeKey("not*base64"));
        assertTrue(notBase64.getMessage().contains("base64"));
        IllegalArgumentException badLength = assertThrows(
                IllegalArgumentException.class,
                () -> Keyring.decodeKey(Base64.getEncoder().encodeToString(new byte[10])));
        assertTrue(badLength.getMessage().contains("not 10 bytes"));
    }

    @Test
    void toStringNeverShowsKeys() {
        assertEquals("Keyring[1 keys]", Keyring.of(List.of(a)).toString());
    }

    @Test
    void readersOnOtherThreadsAlwaysSeeAWholeKeyring() throws Exception {
        Keyring ring = Keyring.of(List.of(a));
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> broken = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (done.getCount() > 0) {
                // one snapshot: [a], [a, b] or [b, a]; never empty, never b alone
                List<byte[]> keys = ring.keys();
                boolean whole = keys.size() == 1
                        ? Arrays.equals(keys.get(0), a)
                        : keys.size() == 2 && !Arrays.equals(keys.get(0), keys.get(1));
                if (!whole) {
                    broken.set("saw " + keys.size() + " keys");
                }
            }
        });
        reader.start();
        for (int i = 0; i < 20_000; i++) {
            ring.install(b);
            ring.use(b);
            ring.use(a);
            ring.remove(b);
        }
        done.countDown();
        reader.join();
        assertEquals(null, broken.get());
        assertKeys(ring, a);
    }

    static void assertKeys(Keyring ring, byte[]... expected) {
        List<byte[]> keys = ring.keys();
        assertEquals(expected.length, keys.size(), "number of keys");
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], keys.get(i), "key " + i);
        }
    }
}
