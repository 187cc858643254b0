package io.murmur.serf;

/** A member's status in the serf layer (Serf's {@code MemberStatus}). */
public enum MemberStatus {
    NONE,
    ALIVE,
    /** It announced that it is leaving; it becomes {@link #LEFT} when membership sees it go. */
    LEAVING,
    LEFT,
    FAILED;

    /** The lower-case name Serf prints ({@code alive}, {@code left}, ...). */
    public String serfName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
