package io.murmur.protocol;

/**
 * Bounds on what a peer can make a node decode and allocate. Defaults follow memberlist's constants: a 64 KiB packet
 * read buffer, 20 MiB of push/pull state, 1,048,576 nodes per push/pull, 255 parts per compound.
 *
 * @param maxPacketBytes largest packet accepted on the packet path
 * @param maxStreamBytes largest message accepted on the reliable path
 * @param maxPushPullNodes most rows in one push/pull
 * @param maxCompoundParts most messages in one compound
 */
public record Limits(int maxPacketBytes, int maxStreamBytes, int maxPushPullNodes, int maxCompoundParts) {

    public static final Limits DEFAULT = new Limits(64 * 1024, 20 * 1024 * 1024, 1_048_576, 255);

    public Limits {
        if (maxPacketBytes < 64 || maxStreamBytes < maxPacketBytes || maxPushPullNodes < 1 || maxCompoundParts < 1) {
            throw new IllegalArgumentException("inconsistent limits");
        }
    }
}
