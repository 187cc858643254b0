package io.murmur.protocol;

import java.util.Objects;

/**
 * How a node protects what it sends and filters what it receives; see {@link WireSecurity} for the envelope.
 *
 * <p>The verify flags mean what Serf's and Consul's {@code encrypt_verify_incoming} / {@code encrypt_verify_outgoing}
 * mean, and like them they matter only when the node has a keyring (both default to true, so giving a node a keyring
 * is enough to encrypt everything and require it). The rolling path from plaintext to encryption is:
 *
 * <ol>
 *   <li>every node gets the keyring with both flags false: it still sends plaintext, and accepts both;
 *   <li>{@code verifyOutgoing = true} on every node: it encrypts, and still accepts plaintext from the others;
 *   <li>{@code verifyIncoming = true} on every node: plaintext is now refused.
 * </ol>
 *
 * <p>A running node changes these with {@code Node.SetSecurity} (flags, compression and allow-list at runtime; the
 * keyring object and the label stay those it started with, because the packet budget was cut for their overhead).
 *
 * @param keyring the keys to encrypt and decrypt with; null for none (no encryption, encrypted input is refused)
 * @param label the cluster label (at most 255 UTF-8 bytes), empty for none; a node accepts only its own label
 * @param verifyIncoming with a keyring: refuse plaintext input
 * @param verifyOutgoing with a keyring: encrypt everything sent
 * @param compression deflate what is sent when that makes it smaller (input is inflated either way)
 * @param allowedCidrs the source networks accepted; {@link CidrAllowList#ALLOW_ALL} (empty) allows everyone
 */
public record SecuritySettings(
        Keyring keyring,
        String label,
        boolean verifyIncoming,
        boolean verifyOutgoing,
        boolean compression,
        CidrAllowList allowedCidrs) {

    /** Longest label, in UTF-8 bytes: its length travels in one byte. */
    public static final int MAX_LABEL_BYTES = 255;

    /** Plaintext, no label, no compression, everyone allowed: the wire format of a node without security settings. */
    public static final SecuritySettings NONE =
            new SecuritySettings(null, "", true, true, false, CidrAllowList.ALLOW_ALL);

    public SecuritySettings {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(allowedCidrs, "allowedCidrs");
        if (!Utf8.isWellFormed(label)) {
            throw new IllegalArgumentException("label has an unpaired surrogate");
        }
        if (Utf8.length(label) > MAX_LABEL_BYTES) {
            throw new IllegalArgumentException(
                    "label is " + Utf8.length(label) + " UTF-8 bytes, more than " + MAX_LABEL_BYTES);
        }
    }

    /** Encryption with {@code keyring}, required both ways (the end state of the rolling path). */
    public static SecuritySettings encrypted(Keyring keyring) {
        return NONE.withKeyring(Objects.requireNonNull(keyring, "keyring"));
    }

    public SecuritySettings withKeyring(Keyring newKeyring) {
        return new SecuritySettings(newKeyring, label, verifyIncoming, verifyOutgoing, compression, allowedCidrs);
    }

    public SecuritySettings withLabel(String newLabel) {
        return new SecuritySettings(keyring, newLabel, verifyIncoming, verifyOutgoing, compression, allowedCidrs);
    }

    public SecuritySettings withVerify(boolean incoming, boolean outgoing) {
        return new SecuritySettings(keyring, label, incoming, outgoing, compression, allowedCidrs);
    }

    public SecuritySettings withCompression(boolean on) {
        return new SecuritySettings(keyring, label, verifyIncoming, verifyOutgoing, on, allowedCidrs);
    }

    public SecuritySettings withAllowedCidrs(CidrAllowList cidrs) {
        return new SecuritySettings(keyring, label, verifyIncoming, verifyOutgoing, compression, cidrs);
    }

    /** Whether what this node sends is encrypted. */
    public boolean encryptsOutgoing() {
        return keyring != null && verifyOutgoing;
    }

    /** Whether this node refuses plaintext. */
    public boolean requiresEncryption() {
        return keyring != null && verifyIncoming;
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "SecuritySettings[keyring=" + (keyring == null ? "none" : keyring) + ", label='" + label
                + "', verifyIncoming=" + verifyIncoming + ", verifyOutgoing=" + verifyOutgoing + ", compression="
                + compression + ", allowedCidrs=" + allowedCidrs + "]";
    }
}
