package io.murmur.store.snapshot;

import io.murmur.store.FileSystem;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Appends records to a serf snapshot file and compacts it when it grows.
 *
 * <p>{@link #append} only buffers, in memory, and only records that change the state (a clock that did not move, a
 * member already alive at that address, or a {@code not-alive} for an unknown name is dropped); comments are always
 * kept. {@link #flush} writes the buffer and syncs it; the owner calls it on a timer (Serf: every 500 ms). The
 * writer reads no clock and starts no thread. Not thread-safe: one owner drives it.
 *
 * <p>Compaction: when at flush the file would be larger than {@link #compactionThreshold()}, the writer writes the
 * state alone (a header comment, the alive members, the three clocks, and {@code leave} if this node left) to
 * {@code <path>.compact}, syncs it, and renames it over the file. The threshold is Serf's,
 * {@code max(2 × 128 B × alive members, 128 KiB)}, raised to twice the size of the last compacted file so that
 * members with very long names cannot make every flush compact.
 *
 * <p>Failure: if a write or sync fails, the file may end in a torn line; the writer then drops its buffer (the state
 * holds everything) and rebuilds the file by compaction at the next flush. {@link #open} does the same for a file
 * that replay did not find clean, so new records are never glued to a torn line.
 */
public final class SnapshotWriter implements Closeable {

    /** Serf's minimum compaction threshold. */
    public static final long MIN_COMPACTION_THRESHOLD = 128 * 1024;

    /** Serf's estimate of the bytes one alive member takes in the file. */
    public static final long BYTES_PER_ALIVE_MEMBER = 128;

    /** The comment that opens every file this writer creates. */
    public static final String HEADER = "murmur serf snapshot v1";

    private final FileSystem fs;
    private final Path path;
    private final Path compactPath;
    private final LiveState state;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private FileSystem.Appender appender;
    private long fileSize;
    private long lastCompactedSize;
    private boolean compactionDue;
    private long compactions;
    private boolean closed;

    private SnapshotWriter(FileSystem fs, Path path, SnapshotState initial) {
        this.fs = fs;
        this.path = path;
        this.compactPath = path.resolveSibling(path.getFileName() + ".compact");
        this.state = new LiveState(initial);
    }

    /**
     * Opens the snapshot at {@code path} for appending, starting from {@code replayed}, which must be what
     * {@link SnapshotReader#replay} returned for that path. A missing file is created; a file that is not clean
     * (torn, with bad lines, in Serf's plain format, or changed since the replay) is rewritten by compaction now.
     */
    public static SnapshotWriter open(FileSystem fs, Path path, Snapshot replayed) throws IOException {
        Objects.requireNonNull(fs, "fs");
        Objects.requireNonNull(path, "path");
        SnapshotWriter writer = new SnapshotWriter(fs, path, replayed.state());
        boolean reusable =
                replayed.isClean() && replayed.checksummed() && fs.exists(path) && fs.size(path) == replayed.fileSize();
        if (reusable) {
            writer.appender = fs.openForAppend(path);
            writer.fileSize = replayed.fileSize();
        } else {
            writer.compact();
        }
        return writer;
    }

    /**
     * Buffers {@code record} if it changes the state (or is a comment); returns whether it did. Does no I/O.
     *
     * @throws IllegalStateException when the writer is closed
     */
    public boolean append(SnapshotRecord record) {
        Objects.requireNonNull(record, "record");
        ensureOpen();
        boolean changed = state.apply(record);
        if (!changed && !(record instanceof SnapshotRecord.Comment)) {
            return false;
        }
        if (!compactionDue) {
            pending.writeBytes(SnapshotLine.encode(record));
        }
        return true;
    }

    /**
     * Makes every appended record durable: compacts if the file would pass the threshold (or a failure left it
     * suspect), else writes the buffer and syncs. On {@link IOException} nothing is lost from the state; the next
     * flush rebuilds the file.
     */
    public void flush() throws IOException {
        ensureOpen();
        if (compactionDue || size() > compactionThreshold()) {
            compact();
            return;
        }
        if (pending.size() == 0) {
            return;
        }
        byte[] bytes = pending.toByteArray();
        try {
            appender.write(bytes, 0, bytes.length);
            appender.sync();
        } catch (IOException e) {
            markCompactionDue();
            throw e;
        }
        fileSize += bytes.length;
        pending.reset();
    }

    /** The state every record appended so far adds up to (what a replay will read once flushed). */
    public SnapshotState state() {
        return state.snapshot();
    }

    /** The file's size once the buffer is written: bytes in the file plus bytes buffered. */
    public long size() {
        return fileSize + pending.size();
    }

    /** The size the file may reach before the next flush compacts it. */
    public long compactionThreshold() {
        long byMembers = 2 * BYTES_PER_ALIVE_MEMBER * state.aliveCount();
        return Math.max(Math.max(byMembers, MIN_COMPACTION_THRESHOLD), 2 * lastCompactedSize);
    }

    /** How many times the file was rewritten by compaction, including at {@link #open}. */
    public long compactions() {
        return compactions;
    }

    /** Flushes, then releases the file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            if (appender != null) {
                appender.close();
                appender = null;
            }
        }
    }

    private void compact() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(SnapshotLine.encode(new SnapshotRecord.Comment(HEADER)));
        for (SnapshotRecord record : state.compacted()) {
            content.writeBytes(SnapshotLine.encode(record));
        }
        byte[] bytes = content.toByteArray();
        try {
            fs.writeAtomically(path, compactPath, bytes);
        } catch (IOException e) {
            markCompactionDue();
            throw e;
        }
        if (appender != null) {
            FileSystem.Appender old = appender;
            appender = null;
            try {
                old.close(); // it points at the file the rename replaced
            } catch (IOException ignored) {
                // the replaced file no longer matters
            }
        }
        try {
            appender = fs.openForAppend(path);
        } catch (IOException e) {
            markCompactionDue();
            throw e;
        }
        pending.reset();
        compactionDue = false;
        fileSize = bytes.length;
        lastCompactedSize = bytes.length;
        compactions++;
    }

    private void markCompactionDue() {
        compactionDue = true;
        pending.reset();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("snapshot writer closed");
        }
    }
}
