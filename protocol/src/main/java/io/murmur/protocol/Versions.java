package io.murmur.protocol;

/**
 * The protocol versions a node speaks, as memberlist's {@code Vsn}: the range and current version of the membership
 * protocol and of the delegate (application) protocol. Each value fits in an unsigned byte.
 */
public record Versions(
        int protocolMin, int protocolMax, int protocolCur, int delegateMin, int delegateMax, int delegateCur) {

    /** Murmur's membership protocol version 1, no delegate protocol yet. */
    public static final Versions CURRENT = new Versions(1, 1, 1, 0, 0, 0);

    public Versions {
        for (int v : new int[] {protocolMin, protocolMax, protocolCur, delegateMin, delegateMax, delegateCur}) {
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("version out of range 0..255: " + v);
            }
        }
    }
}
