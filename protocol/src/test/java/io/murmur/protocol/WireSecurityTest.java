package io.murmur.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Message.UserMessage;
import io.murmur.protocol.WireSecurity.Opened;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class WireSecurityTest {

    static byte[] key(int length, int fill) {
        byte[] k = new byte[length];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    private final Codec codec = new Codec();
    private final byte[] k1 = key(16, 1);
    private final byte[] k2 = key(24, 2);
    private final byte[] k3 = key(32, 3);

    /** A frame that compresses well (a repetitive user message) and one that does not (random bytes). */
    private byte[] compressible() {
        return codec.frame(new UserMessage(Bytes.of(("hello gossip ").repeat(40).getBytes())));
    }

    private byte[] incompressible() {
        byte[] noise = new byte[300];
        new SplittableRandom(7).nextBytes(noise);
        return codec.frame(new UserMessage(Bytes.of(noise)));
    }

    private static WireSecurity wire(SecuritySettings s) {
        return new WireSecurity(s, Limits.DEFAULT);
    }

    private static byte[] opened(Opened o) {
        return assertInstanceOf(Opened.Frame.class, o, () -> "rejected: " + o).bytes();
    }

    private static void assertRejected(Rejection reason, Opened o) {
        Opened.Rejected r = assertInstanceOf(Opened.Rejected.class, o, "accepted");
        assertEquals(reason, r.reason(), r.detail());
    }

    @Test
    void everyCombinationRoundTripsOnBothPathsAndEncryptedOnesHideThePayload() {
        for (Keyring ring :
                new Keyring[] {null, Keyring.of(List.of(k1)), Keyring.of(List.of(k2)), Keyring.of(List.of(k3))}) {
            for (String label : List.of("", "prod", "ü".repeat(127))) {
                for (boolean compression : new boolean[] {false, true}) {
                    for (boolean outgoing : new boolean[] {false, true}) {
                        SecuritySettings s = new SecuritySettings(
                                ring, label, outgoing, outgoing, compression, CidrAllowList.ALLOW_ALL);
                        WireSecurity w = wire(s);
                        for (byte[] frame : List.of(compressible(), incompressible())) {
                            byte[] sealed = w.seal(frame);
                            String what = s + " " + frame.length;
                            assertArrayEquals(frame, opened(w.openPacket(sealed)), what);
                            assertArrayEquals(frame, opened(w.openStream(sealed)), what);
                            assertTrue(sealed.length <= frame.length + w.overhead(), what);
                            if (s.encryptsOutgoing()) {
                                assertEquals(-1, indexOf(sealed, Arrays.copyOfRange(frame, 10, 30)), what);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void plaintextWithoutLabelIsTheCodecFrameItselfBothWays() {
        WireSecurity w = WireSecurity.none();
        byte[] frame = incompressible();
        assertSame(frame, w.seal(frame));
        assertSame(frame, opened(w.openPacket(frame)));
        // A keyring that does not encrypt outgoing (step one of the rolling path) sends the codec frame too.
        WireSecurity holding =
                wire(SecuritySettings.encrypted(Keyring.of(List.of(k1))).withVerify(false, false));
        assertSame(frame, holding.seal(frame));
        assertEquals(0, w.overhead());
        assertEquals(
                WireSecurity.ENCRYPTION_OVERHEAD + 5,
                wire(SecuritySettings.encrypted(Keyring.of(List.of(k1))).withLabel("prod"))
                        .overhead());
    }

    @Test
    void compressionIsUsedOnlyWhenItMakesTheFrameSmaller() {
        WireSecurity w = wire(SecuritySettings.NONE.withCompression(true));
        byte[] small = w.seal(compressible());
        assertEquals(WireSecurity.FLAG_COMPRESSED, small[2]);
        assertTrue(small.length < compressible().length / 3);
        byte[] noise = incompressible();
        assertSame(noise, w.seal(noise));
        // A node without compression still opens compressed input.
        assertArrayEquals(compressible(), opened(WireSecurity.none().openPacket(small)));
    }

    @Test
    void aWrongKeyIsADecryptionFailureAndANodeWithoutKeysRefusesEncryptedInput() {
        byte[] sealed =
                wire(SecuritySettings.encrypted(Keyring.of(List.of(k1)))).seal(compressible());
        assertRejected(
                Rejection.DECRYPTION_FAILED,
                wire(SecuritySettings.encrypted(Keyring.of(List.of(k3)))).openPacket(sealed));
        assertRejected(Rejection.DECRYPTION_FAILED, WireSecurity.none().openPacket(sealed));
    }

    @Test
    void aWrongMissingOrUnexpectedLabelIsRejectedWithOrWithoutEncryption() {
        for (Keyring ring : new Keyring[] {null, Keyring.of(List.of(k1))}) {
            SecuritySettings base = ring == null ? SecuritySettings.NONE : SecuritySettings.encrypted(ring);
            byte[] prod = wire(base.withLabel("prod")).seal(compressible());
            assertRejected(Rejection.WRONG_LABEL, wire(base.withLabel("test")).openPacket(prod));
            assertRejected(Rejection.WRONG_LABEL, wire(base.withLabel("pro")).openPacket(prod));
            assertRejected(Rejection.WRONG_LABEL, wire(base).openPacket(prod));
            assertRejected(
                    Rejection.WRONG_LABEL,
                    wire(base.withLabel("prod")).openPacket(wire(base).seal(compressible())));
        }
    }

    @Test
    void anAttackerWhoStripsOrAddsALabelBreaksTheTag() {
        Keyring ring = Keyring.of(List.of(k1));
        WireSecurity labelled = wire(SecuritySettings.encrypted(ring).withLabel("prod"));
        WireSecurity bare = wire(SecuritySettings.encrypted(ring));
        byte[] withLabel = labelled.seal(compressible());
        // strip: [4D 01 flags-LABEL] + everything after the label
        byte[] stripped = new byte[withLabel.length - 5];
        System.arraycopy(withLabel, 0, stripped, 0, 3);
        stripped[2] = (byte) (withLabel[2] & ~WireSecurity.FLAG_LABEL);
        System.arraycopy(withLabel, 8, stripped, 3, stripped.length - 3);
        assertRejected(Rejection.DECRYPTION_FAILED, bare.openPacket(stripped));
        // add: a label in front of a packet sealed without one
        byte[] plain = bare.seal(compressible());
        byte[] added = new byte[plain.length + 5];
        System.arraycopy(plain, 0, added, 0, 3);
        added[2] = (byte) (plain[2] | WireSecurity.FLAG_LABEL);
        added[3] = 4;
        System.arraycopy("prod".getBytes(), 0, added, 4, 4);
        System.arraycopy(plain, 3, added, 8, plain.length - 3);
        assertRejected(Rejection.DECRYPTION_FAILED, labelled.openPacket(added));
    }

    @Test
    void aFlippedBitAnywhereInAnEncryptedPacketIsRejected() {
        WireSecurity w = wire(SecuritySettings.encrypted(Keyring.of(List.of(k3)))
                .withLabel("prod")
                .withCompression(true));
        byte[] sealed = w.seal(compressible());
        for (int i = 0; i < sealed.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = sealed.clone();
                bad[i] ^= (byte) (1 << bit);
                Opened o = w.openPacket(bad);
                assertInstanceOf(Opened.Rejected.class, o, "byte " + i + " bit " + bit + " accepted");
            }
        }
    }

    @Test
    void aReplayedPacketOpensAgainBecauseThisLayerHasNoReplayProtection() {
        WireSecurity w = wire(SecuritySettings.encrypted(Keyring.of(List.of(k1))));
        byte[] sealed = w.seal(compressible());
        assertArrayEquals(opened(w.openPacket(sealed)), opened(w.openPacket(sealed.clone())));
        assertNotEquals(Arrays.toString(sealed), Arrays.toString(w.seal(compressible())), "nonces repeat");
    }

    @Test
    void truncatedAndOversizedInputIsRejected() {
        WireSecurity w =
                wire(SecuritySettings.encrypted(Keyring.of(List.of(k1))).withLabel("prod"));
        byte[] sealed = w.seal(compressible());
        for (int n = 0; n < sealed.length; n++) {
            Opened o = w.openPacket(Arrays.copyOf(sealed, n));
            assertInstanceOf(Opened.Rejected.class, o, n + " bytes accepted");
        }
        assertRejected(Rejection.EMPTY, w.openPacket(new byte[0]));
        assertRejected(Rejection.TRUNCATED, w.openPacket(Arrays.copyOf(sealed, 6)));
        byte[] huge = new byte[Limits.DEFAULT.maxPacketBytes() + 1000];
        huge[0] = Codec.MAGIC;
        assertRejected(Rejection.OVERSIZED, w.openPacket(huge));
        assertRejected(Rejection.UNSUPPORTED_FLAGS, w.openPacket(new byte[] {Codec.MAGIC, 1, 0x40, 0}));
        assertRejected(Rejection.BAD_MAGIC, w.openPacket(new byte[] {1, 2, 3}));
    }

    @Test
    void aZipBombIsRejectedAfterInflatingAtMostTheLimit() {
        byte[] bomb = zlib(new byte[Limits.DEFAULT.maxStreamBytes() + 1]); // about 20 KiB of deflate
        byte[] packet = new byte[3 + bomb.length];
        packet[0] = Codec.MAGIC;
        packet[1] = Codec.VERSION;
        packet[2] = WireSecurity.FLAG_COMPRESSED;
        System.arraycopy(bomb, 0, packet, 3, bomb.length);
        // 20 KiB on the wire that would inflate to 20 MiB: refused once past the path's limit (64 KiB, 20 MiB).
        assertRejected(Rejection.DECOMPRESSION_FAILED, WireSecurity.none().openPacket(packet));
        assertRejected(Rejection.DECOMPRESSION_FAILED, WireSecurity.none().openStream(packet));
        // garbage and a cut stream
        assertRejected(
                Rejection.DECOMPRESSION_FAILED,
                WireSecurity.none().openPacket(new byte[] {Codec.MAGIC, 1, 2, 9, 9, 9}));
        byte[] z = wire(SecuritySettings.NONE.withCompression(true)).seal(compressible());
        assertRejected(Rejection.DECOMPRESSION_FAILED, WireSecurity.none().openPacket(Arrays.copyOf(z, z.length - 3)));
    }

    @Test
    void verifyIncomingRefusesPlaintextAndWithoutItBothAreAccepted() {
        Keyring ring = Keyring.of(List.of(k1));
        byte[] plain = compressible();
        byte[] encrypted = wire(SecuritySettings.encrypted(ring)).seal(plain);
        assertRejected(
                Rejection.NOT_ENCRYPTED, wire(SecuritySettings.encrypted(ring)).openPacket(plain));
        WireSecurity lenient = wire(SecuritySettings.encrypted(ring).withVerify(false, true));
        assertArrayEquals(plain, opened(lenient.openPacket(plain)));
        assertArrayEquals(plain, opened(lenient.openPacket(encrypted)));
    }

    @Test
    void aPacketSealedWithAnOldPrimaryOpensWhileThatKeyIsInstalled() {
        Keyring sender = Keyring.of(List.of(k1));
        Keyring receiver = Keyring.of(List.of(k1));
        WireSecurity out = wire(SecuritySettings.encrypted(sender));
        WireSecurity in = wire(SecuritySettings.encrypted(receiver));
        byte[] old = out.seal(compressible());
        receiver.install(k2);
        receiver.use(k2); // the receiver rotated first
        assertArrayEquals(compressible(), opened(in.openPacket(old)));
        sender.install(k2);
        sender.use(k2);
        byte[] fresh = out.seal(compressible());
        receiver.remove(k1);
        assertArrayEquals(compressible(), opened(in.openPacket(fresh)));
        assertRejected(Rejection.DECRYPTION_FAILED, in.openPacket(old));
    }

    @Test
    void theLabelAndKeyringAreFixedButTheFlagsChangeAtRuntime() {
        Keyring ring = Keyring.of(List.of(k1));
        WireSecurity w = wire(SecuritySettings.encrypted(ring).withVerify(false, false));
        byte[] frame = compressible();
        assertSame(frame, w.seal(frame));
        w.reconfigure(w.settings().withVerify(false, true));
        assertEquals(WireSecurity.FLAG_ENCRYPTED, w.seal(frame)[2]);
        assertThrows(
                IllegalArgumentException.class, () -> w.reconfigure(w.settings().withLabel("x")));
        assertThrows(
                IllegalArgumentException.class, () -> w.reconfigure(w.settings().withKeyring(Keyring.of(List.of(k1)))));
        assertThrows(IllegalArgumentException.class, () -> SecuritySettings.NONE.withLabel("x".repeat(256)));
    }

    @Test
    void randomGarbageNeverThrows() {
        SplittableRandom random = new SplittableRandom(11);
        WireSecurity w = wire(SecuritySettings.encrypted(Keyring.of(List.of(k1)))
                .withVerify(false, true)
                .withLabel("a"));
        List<Opened> results = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(0, 80)];
            random.nextBytes(b);
            if (b.length > 3 && random.nextBoolean()) {
                b[0] = Codec.MAGIC;
                b[1] = 1;
                b[2] = (byte) random.nextInt(8);
            }
            results.add(w.openPacket(b));
        }
        assertEquals(20_000, results.size());
    }

    private static byte[] zlib(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
