package io.murmur.store.snapshot;

import java.util.Objects;

/**
 * What {@link SnapshotReader#replay} read from a snapshot file: the state, and how sound the file was.
 *
 * @param state the members, clocks and leave flag the good records add up to
 * @param goodRecords lines read and trusted (comments and Serf's legacy {@code coordinate:} lines included)
 * @param badRecords lines skipped: checksum wrong or missing, unparseable, or a torn last line with no newline
 * @param lastGoodRecordEnd the byte offset just past the newline of the last good record; 0 when there is none. The
 *     file is sound up to here.
 * @param fileSize the file's length in bytes; 0 for a missing file
 * @param checksummed whether the file is in Murmur's checksummed format (at least one line had a valid checksum),
 *     in which case every line needed one; false for Serf's plain format and for an empty file
 */
public record Snapshot(
        SnapshotState state,
        int goodRecords,
        int badRecords,
        long lastGoodRecordEnd,
        long fileSize,
        boolean checksummed) {

    /** A missing or empty file. */
    public static final Snapshot EMPTY = new Snapshot(SnapshotState.EMPTY, 0, 0, 0, 0, false);

    public Snapshot {
        Objects.requireNonNull(state, "state");
        if (goodRecords < 0 || badRecords < 0 || lastGoodRecordEnd < 0 || lastGoodRecordEnd > fileSize) {
            throw new IllegalArgumentException("inconsistent counts or offsets");
        }
    }

    /** Whether every byte of the file belongs to a good record: nothing torn, nothing skipped. */
    public boolean isClean() {
        return badRecords == 0 && lastGoodRecordEnd == fileSize;
    }
}
