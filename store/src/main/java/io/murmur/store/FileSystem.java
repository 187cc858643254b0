package io.murmur.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The few file operations Murmur's durable files need, so that the code writing them can run on the real disk
 * ({@link RealFileSystem}) or in memory ({@link MemoryFileSystem}, which can also tear a file at any byte).
 *
 * <p>Paths are plain {@link Path} values used as names; an implementation decides where they live.
 */
public interface FileSystem {

    /** Whether a file exists at {@code path}. */
    boolean exists(Path path);

    /** The file's length in bytes; {@link java.nio.file.NoSuchFileException} when it does not exist. */
    long size(Path path) throws IOException;

    /** The file's whole content; {@link java.nio.file.NoSuchFileException} when it does not exist. */
    byte[] readAllBytes(Path path) throws IOException;

    /** Opens the file for appending, creating it empty when it does not exist. */
    Appender openForAppend(Path path) throws IOException;

    /**
     * Replaces {@code path} with {@code content} all at once: writes {@code temp}, makes it durable, then renames it
     * atomically over {@code path}. A reader sees the old content or the new, never a mix. On failure {@code path}
     * is untouched and {@code temp} is removed when possible.
     */
    void writeAtomically(Path path, Path temp, byte[] content) throws IOException;

    /**
     * As {@link #writeAtomically}, for secrets: where the file system has POSIX permissions, the new file is readable
     * and writable by its owner only (mode {@code 0600}) from the moment {@code temp} is created, so the content is
     * never visible to others, not even briefly. Where it has none (Windows, in memory) this is
     * {@link #writeAtomically}.
     */
    default void writeAtomicallyOwnerOnly(Path path, Path temp, byte[] content) throws IOException {
        writeAtomically(path, temp, content);
    }

    /** Deletes the file; returns whether there was one. */
    boolean delete(Path path) throws IOException;

    /**
     * An open file that grows at its end. After the file is renamed over or deleted, an appender keeps writing to
     * the file it opened (as a POSIX descriptor does), which is no longer reachable by its path.
     */
    interface Appender extends Closeable {

        /** Appends {@code length} bytes of {@code bytes} from {@code offset}; may stay in OS buffers. */
        void write(byte[] bytes, int offset, int length) throws IOException;

        /** Makes every byte written so far durable (fsync). */
        void sync() throws IOException;
    }
}
