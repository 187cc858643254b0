package io.murmur.protocol;

/** A member's state, with memberlist's wire values ({@code StateAlive=0 .. StateLeft=3}). */
public enum NodeState {
    ALIVE,
    SUSPECT,
    DEAD,
    LEFT;

    private static final NodeState[] VALUES = values();

    /** Dead or left: the node is not a live member. */
    public boolean isDeadOrLeft() {
        return this == DEAD || this == LEFT;
    }

    static NodeState ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }
}
