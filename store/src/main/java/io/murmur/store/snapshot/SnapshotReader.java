package io.murmur.store.snapshot;

import io.murmur.store.FileSystem;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Replays a serf snapshot file into a {@link Snapshot}. Damage is never fatal and never misread:
 *
 * <ul>
 *   <li>A missing file is {@link Snapshot#EMPTY}.
 *   <li>The file is in Murmur's checksummed format when any complete line carries a valid checksum; then every line
 *       must carry one. Otherwise it is Serf's plain format and each line must parse exactly (see
 *       {@link SnapshotRecord#parse}). A single bit flip cannot turn a Murmur file into a plain one, because the
 *       writer never leaves a file with fewer than four checksummed lines (a header and three clocks).
 *   <li>A bad line in the middle (wrong checksum, garbage, bit flip) is skipped and counted, and reading goes on:
 *       later records are still good, and losing one record costs less than losing the rest of the file.
 *   <li>The last line is committed by its newline. Bytes after the last newline are a torn write: counted as one
 *       bad record and ignored, even if they would parse.
 *   <li>{@code coordinate:} lines (Serf's legacy) are good but carry nothing.
 * </ul>
 */
public final class SnapshotReader {

    private SnapshotReader() {}

    /**
     * Reads the file at {@code path}. Throws only when the file system itself fails (not for damaged content).
     */
    public static Snapshot replay(FileSystem fs, Path path) throws IOException {
        if (!fs.exists(path)) {
            return Snapshot.EMPTY;
        }
        return replay(fs.readAllBytes(path));
    }

    /** Replays a snapshot file's content. */
    public static Snapshot replay(byte[] content) {
        boolean checksummed = false;
        for (int start = 0, nl; !checksummed && (nl = indexOfNewline(content, start)) >= 0; start = nl + 1) {
            checksummed = SnapshotLine.hasValidChecksum(content, start, nl);
        }
        LiveState state = new LiveState(SnapshotState.EMPTY);
        int good = 0;
        int bad = 0;
        long lastGoodEnd = 0;
        int start = 0;
        for (int nl; (nl = indexOfNewline(content, start)) >= 0; start = nl + 1) {
            SnapshotLine.Decoded decoded = SnapshotLine.decode(content, start, nl, checksummed);
            if (decoded instanceof SnapshotLine.Bad) {
                bad++;
                continue;
            }
            if (decoded instanceof SnapshotLine.Good g) {
                state.apply(g.record());
            }
            good++;
            lastGoodEnd = nl + 1;
        }
        if (start < content.length) {
            bad++; // torn tail: a last line with no newline
        }
        return new Snapshot(state.snapshot(), good, bad, lastGoodEnd, content.length, checksummed);
    }

    private static int indexOfNewline(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
