package io.murmur.protocol;

/** The result of decoding untrusted bytes: a message, or a typed rejection. Never an exception. */
public sealed interface Decoded {

    record Ok(Message message) implements Decoded {}

    record Rejected(Rejection reason, String detail) implements Decoded {}
}
