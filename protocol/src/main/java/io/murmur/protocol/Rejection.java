package io.murmur.protocol;

/** Why inbound bytes were not accepted. Each reason is counted separately by the receiver. */
public enum Rejection {
    /** No bytes at all. */
    EMPTY,
    /** The frame does not start with Murmur's magic byte. */
    BAD_MAGIC,
    /** A frame version this node does not speak. */
    UNSUPPORTED_VERSION,
    /** Frame flags this node does not understand (for example encryption it is not set up for). */
    UNSUPPORTED_FLAGS,
    /** A registration id that names no message type. */
    UNKNOWN_TYPE,
    /** The input ended inside a message. */
    TRUNCATED,
    /** A length or count beyond the configured limits. */
    OVERSIZED,
    /** A field value that is impossible (bad UTF-8, unknown enum code, out-of-range number). */
    MALFORMED,
    /** Bytes left over after the message. */
    TRAILING_BYTES,
    /** A compound message inside a compound message. */
    NESTED_COMPOUND,
    /** A well-formed message that is not valid on the path it arrived on. */
    WRONG_PATH,
    /** A label other than this node's, or none where this node has one, or one where it has none. */
    WRONG_LABEL,
    /** Plaintext where this node requires encryption ({@code verify-incoming}). */
    NOT_ENCRYPTED,
    /** Encrypted, but no installed key opens it (wrong key, tampered with, or this node has no keys). */
    DECRYPTION_FAILED,
    /** Compressed, but not a valid deflate stream, or one that inflates beyond the size limit (a zip bomb). */
    DECOMPRESSION_FAILED,
    /** From a source address outside the configured CIDR allow-list. */
    NOT_ALLOWED
}
