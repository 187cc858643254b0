package io.murmur.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals every frame a node sends (packets, reliable-path requests and responses) and opens every one it receives:
 * optional compression, then an optional label, then optional AES-GCM encryption.
 *
 * <h2>Envelope</h2>
 *
 * <pre>
 * [0x4D magic][0x01 version][flags]                      flags: 0x01 LABEL, 0x02 COMPRESSED, 0x04 ENCRYPTED
 *   LABEL:     [label length u8, 1..255][label, UTF-8]
 *   ENCRYPTED: [cipher version 0x01][nonce 12][AES-GCM ciphertext of the payload][tag 16]
 *   otherwise: [payload]
 * payload = COMPRESSED ? zlib(message) : message             (message = a Codec frame without its 3-byte header)
 * </pre>
 *
 * With flags 0 the envelope <em>is</em> the {@link Codec} frame ({@code [4D][01][00][message]}): plaintext without a
 * label is byte-identical to what nodes without this layer send, and the codec's golden vectors hold. Any other flags
 * make the frame one that the bare codec refuses ({@link Rejection#UNSUPPORTED_FLAGS}), never misreads.
 *
 * <p>Encryption: AES-128/192/256 by key length, GCM with a 128-bit tag and a fresh random 12-byte nonce per message,
 * keyed by the keyring's primary key. The additional authenticated data is every byte in front of the nonce (magic,
 * version, flags, label, cipher version), so the label (and whether it is compressed) cannot be stripped, added or
 * changed without the tag failing. Opening tries the primary key first, then the others, so a message sealed with a
 * key that is no longer primary still opens while that key is installed (the middle of a rotation). Compression comes
 * before encryption (ciphertext does not compress); like memberlist we accept that a compressed message's length
 * says a little about its content. Overhead: {@link #ENCRYPTION_OVERHEAD} bytes encrypted, {@code 1 + label} bytes
 * for a label; compression is used only when it makes the payload smaller, and inflation is capped at the path's
 * message limit (a zip bomb is {@link Rejection#DECOMPRESSION_FAILED}).
 *
 * <p>Replays: a captured encrypted packet opens again (there is no counter or timestamp in the envelope). This layer
 * keeps outsiders from reading or forging messages, not from repeating them. SWIM tolerates repeats by design: the
 * network may duplicate packets anyway, membership updates are idempotent and ordered by incarnation (a replayed
 * alive, suspect or dead is either news already applied or older than what the receiver knows), an ack only counts
 * for a probe still waiting under its sequence number, and a suspicion is refuted by the node itself. A replayed
 * user message is delivered again: applications that care deduplicate (as the serf layer's Lamport clocks do).
 *
 * <p>Thread-safe and without locks: settings are swapped atomically; ciphers, deflaters and random generators are
 * per thread. Opening never throws: bad input is an {@link Opened.Rejected} with a typed reason.
 */
public final class WireSecurity {

    public static final byte FLAG_LABEL = 0x01;
    public static final byte FLAG_COMPRESSED = 0x02;
    public static final byte FLAG_ENCRYPTED = 0x04;
    private static final int KNOWN_FLAGS = FLAG_LABEL | FLAG_COMPRESSED | FLAG_ENCRYPTED;
    /** The AES-GCM scheme of encrypted envelopes (no padding). */
    public static final byte CIPHER_VERSION = 1;

    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    /** Bytes encryption adds: cipher version, nonce, tag. */
    public static final int ENCRYPTION_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

    private static final int H = Codec.HEADER_BYTES;
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(WireSecurity::newCipher);
    private static final ThreadLocal<SecureRandom> RANDOMS = ThreadLocal.withInitial(WireSecurity::newRandom);

    /** What opening bytes gave: a plain codec frame, or the reason they were refused. */
    public sealed interface Opened {
        /** A codec frame ({@code [4D][01][00][message]}), ready for {@link Codec#decodePacket}. */
        record Frame(byte[] bytes) implements Opened {}

        record Rejected(Rejection reason, String detail) implements Opened {}
    }

    private record Keys(List<byte[]> snapshot, SecretKeySpec[] specs) {}

    private final Limits limits;
    private final Keyring keyring;
    private final byte[] label;
    private final int overhead;
    private volatile SecuritySettings settings;
    private volatile Keys keys;

    public WireSecurity(SecuritySettings settings, Limits limits) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.keyring = settings.keyring();
        this.label = settings.label().getBytes(StandardCharsets.UTF_8);
        this.overhead = overheadOf(settings);
    }

    /** {@link #overhead()} of a layer with these settings. */
    public static int overheadOf(SecuritySettings settings) {
        int label = settings.label().getBytes(StandardCharsets.UTF_8).length;
        return (label == 0 ? 0 : 1 + label) + (settings.keyring() == null ? 0 : ENCRYPTION_OVERHEAD);
    }

    /** No security: frames pass through unchanged both ways. */
    public static WireSecurity none() {
        return new WireSecurity(SecuritySettings.NONE, Limits.DEFAULT);
    }

    public SecuritySettings settings() {
        return settings;
    }

    /**
     * Most bytes {@link #seal} adds to a frame under these settings, whatever the verify flags become later (with a
     * keyring the encryption overhead is always reserved): a sender fills its packets up to its packet size minus
     * this, so that sealed packets never exceed it.
     */
    public int overhead() {
        return overhead;
    }

    /**
     * Takes new flags, compression and allow-list at runtime.
     *
     * @throws IllegalArgumentException when {@code next} has another keyring object or label (they are fixed when
     *     the node starts, since its packet budget depends on them)
     */
    public void reconfigure(SecuritySettings next) {
        Objects.requireNonNull(next, "next");
        if (next.keyring() != keyring || !Arrays.equals(next.label().getBytes(StandardCharsets.UTF_8), label)) {
            throw new IllegalArgumentException(
                    "the keyring and the label are fixed when the node starts; restart it to change them");
        }
        settings = next;
    }

    /** The envelope for a codec frame (the frame itself when there is nothing to add). */
    public byte[] seal(byte[] frame) {
        if (frame.length < H || frame[0] != Codec.MAGIC || frame[2] != 0) {
            throw new IllegalArgumentException("not a plain codec frame");
        }
        SecuritySettings s = settings;
        boolean encrypt = s.encryptsOutgoing();
        byte[] payload = frame;
        int offset = H;
        int length = frame.length - H;
        int flags = 0;
        if (s.compression()) {
            byte[] z = WireCompression.deflateIfSmaller(frame, H, length);
            if (z != null) {
                payload = z;
                offset = 0;
                length = z.length;
                flags |= FLAG_COMPRESSED;
            }
        }
        if (label.length > 0) {
            flags |= FLAG_LABEL;
        }
        if (encrypt) {
            flags |= FLAG_ENCRYPTED;
        }
        if (flags == 0) {
            return frame;
        }
        int head = H + (label.length == 0 ? 0 : 1 + label.length);
        byte[] out = new byte[head + (encrypt ? ENCRYPTION_OVERHEAD : 0) + length];
        out[0] = Codec.MAGIC;
        out[1] = Codec.VERSION;
        out[2] = (byte) flags;
        if (label.length > 0) {
            out[H] = (byte) label.length;
            System.arraycopy(label, 0, out, H + 1, label.length);
        }
        if (!encrypt) {
            System.arraycopy(payload, offset, out, head, length);
            return out;
        }
        out[head] = CIPHER_VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOMS.get().nextBytes(nonce);
        System.arraycopy(nonce, 0, out, head + 1, NONCE_BYTES);
        Cipher cipher = CIPHERS.get();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, keys().specs[0], new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(out, 0, head + 1);
            cipher.doFinal(payload, offset, length, out, head + 1 + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e); // a JDK without AES-GCM: a setup error
        }
        return out;
    }

    /** Opens a packet (messages up to the packet limit). */
    public Opened openPacket(byte[] bytes) {
        return open(bytes, limits.maxPacketBytes());
    }

    /** Opens a reliable-path request or response (messages up to the stream limit). */
    public Opened openStream(byte[] bytes) {
        return open(bytes, limits.maxStreamBytes());
    }

    private Opened open(byte[] in, int maxFrameBytes) {
        int n = in.length;
        if (n == 0) {
            return reject(Rejection.EMPTY, "no bytes");
        }
        if (n > maxFrameBytes + H + 1 + SecuritySettings.MAX_LABEL_BYTES + ENCRYPTION_OVERHEAD) {
            return reject(Rejection.OVERSIZED, n + " bytes, limit " + maxFrameBytes);
        }
        if (in[0] != Codec.MAGIC) {
            return reject(Rejection.BAD_MAGIC, String.format("first byte 0x%02x", in[0]));
        }
        if (n < H) {
            return reject(Rejection.TRUNCATED, "short header");
        }
        if (in[1] != Codec.VERSION) {
            return reject(Rejection.UNSUPPORTED_VERSION, "frame version " + in[1]);
        }
        int flags = in[2] & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return reject(Rejection.UNSUPPORTED_FLAGS, String.format("frame flags 0x%02x", flags));
        }
        SecuritySettings s = settings;
        int pos = H;
        if ((flags & FLAG_LABEL) != 0) {
            if (n < H + 1 || n < H + 1 + (in[H] & 0xFF)) {
                return reject(Rejection.TRUNCATED, "inside the label");
            }
            int len = in[H] & 0xFF;
            if (len == 0) {
                return reject(Rejection.MALFORMED, "an empty label");
            }
            if (!Arrays.equals(in, H + 1, H + 1 + len, label, 0, label.length)) {
                return reject(
                        Rejection.WRONG_LABEL, label.length == 0 ? "a label, and this node has none" : "another label");
            }
            pos = H + 1 + len;
        } else if (label.length > 0) {
            return reject(Rejection.WRONG_LABEL, "no label");
        }
        boolean compressed = (flags & FLAG_COMPRESSED) != 0;
        byte[] payload = in;
        int offset = pos;
        int length = n - pos;
        if ((flags & FLAG_ENCRYPTED) != 0) {
            if (keyring == null) {
                return reject(Rejection.DECRYPTION_FAILED, "encrypted, and this node has no keys");
            }
            if (length < ENCRYPTION_OVERHEAD) {
                return reject(Rejection.TRUNCATED, "shorter than the encryption overhead");
            }
            if (in[pos] != CIPHER_VERSION) {
                return reject(Rejection.UNSUPPORTED_VERSION, "cipher version " + in[pos]);
            }
            int headroom = compressed ? 0 : H; // decrypt straight into the frame when there is nothing to inflate
            payload = decrypt(in, pos, headroom);
            if (payload == null) {
                return reject(Rejection.DECRYPTION_FAILED, "no installed key opens it (" + keyring.size() + " tried)");
            }
            if (!compressed) {
                return frame(payload);
            }
            offset = 0;
            length = payload.length;
        } else if (s.requiresEncryption()) {
            return reject(Rejection.NOT_ENCRYPTED, "plaintext, and this node requires encryption");
        }
        if (compressed) {
            try {
                return frame(WireCompression.inflate(payload, offset, length, maxFrameBytes - H, H));
            } catch (WireCompression.Failure e) {
                return reject(Rejection.DECOMPRESSION_FAILED, e.getMessage());
            }
        }
        if (flags == 0) {
            return new Opened.Frame(in);
        }
        byte[] out = new byte[H + length];
        System.arraycopy(in, offset, out, H, length);
        return frame(out);
    }

    /** The plaintext after {@code headroom} free bytes, or null when no installed key opens it. */
    private byte[] decrypt(byte[] in, int pos, int headroom) {
        int ciphertext = in.length - pos - 1 - NONCE_BYTES;
        GCMParameterSpec nonce = new GCMParameterSpec(TAG_BYTES * 8, in, pos + 1, NONCE_BYTES);
        Cipher cipher = CIPHERS.get();
        byte[] out = new byte[headroom + ciphertext - TAG_BYTES];
        for (SecretKeySpec key : keys().specs) {
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, nonce);
                cipher.updateAAD(in, 0, pos + 1);
                cipher.doFinal(in, pos + 1 + NONCE_BYTES, ciphertext, out, headroom);
                return out;
            } catch (GeneralSecurityException | IllegalStateException e) {
                // AEADBadTagException: not this key (or tampered with); try the next
            }
        }
        return null;
    }

    /** The keyring's keys as cipher keys, derived again only when the keyring changed. */
    private Keys keys() {
        List<byte[]> now = keyring.snapshot();
        Keys k = keys;
        if (k == null || k.snapshot != now) {
            SecretKeySpec[] specs = new SecretKeySpec[now.size()];
            for (int i = 0; i < specs.length; i++) {
                specs[i] = new SecretKeySpec(now.get(i), "AES");
            }
            k = new Keys(now, specs);
            keys = k;
        }
        return k;
    }

    private static Opened frame(byte[] withHeadroom) {
        withHeadroom[0] = Codec.MAGIC;
        withHeadroom[1] = Codec.VERSION;
        withHeadroom[2] = 0;
        return new Opened.Frame(withHeadroom);
    }

    private static Opened reject(Rejection reason, String detail) {
        return new Opened.Rejected(reason, detail);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG"); // one per thread: no lock shared by all senders
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
