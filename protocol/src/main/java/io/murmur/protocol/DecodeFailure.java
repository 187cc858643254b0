package io.murmur.protocol;

/**
 * Thrown inside the decoder only, to unwind from a nested field to {@link Codec}'s boundary, where it becomes a
 * {@link Decoded.Rejected}. It never leaves this package.
 */
final class DecodeFailure extends RuntimeException {
    final Rejection reason;

    DecodeFailure(Rejection reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }
}
