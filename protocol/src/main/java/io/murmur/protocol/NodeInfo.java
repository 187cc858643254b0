package io.murmur.protocol;

import java.util.Objects;

/**
 * A node's identity as gossiped: its unique name, the address it can be reached at, its application metadata (at
 * most {@link #MAX_META_BYTES} bytes, as memberlist's {@code MetaMaxSize}) and the protocol versions it speaks.
 */
public record NodeInfo(String name, Address address, Bytes meta, Versions versions) {

    /** memberlist's {@code MetaMaxSize}. */
    public static final int MAX_META_BYTES = 512;

    /** Longest node name accepted, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;

    public NodeInfo {
        checkName(name);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(versions, "versions");
        if (meta.size() > MAX_META_BYTES) {
            throw new IllegalArgumentException(
                    "node meta is " + meta.size() + " bytes, more than the limit of " + MAX_META_BYTES);
        }
    }

    public NodeInfo(String name, Address address) {
        this(name, address, Bytes.EMPTY, Versions.CURRENT);
    }

    public NodeInfo withMeta(Bytes newMeta) {
        return new NodeInfo(name, address, newMeta, versions);
    }

    /** Rejects a null, empty or over-long node name, and one with an unpaired surrogate (UTF-8 cannot carry it). */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty node name");
        }
        if (!Utf8.isWellFormed(name)) {
            throw new IllegalArgumentException("node name has an unpaired surrogate");
        }
        if (Utf8.length(name) > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("node name longer than " + MAX_NAME_BYTES + " bytes");
        }
        return name;
    }
}
