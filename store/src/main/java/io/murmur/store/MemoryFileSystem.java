package io.murmur.store;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@link FileSystem} in memory, for tests, with the faults a disk can produce: {@link #truncate tear} a file at any
 * byte, {@link #flipBit flip} a bit, {@link #crash lose} what was written but not synced, and {@link #failNextWrite
 * fail} a write part-way. Files are inodes, so an appender opened before a rename keeps writing to the old file.
 * Thread-safe.
 */
public final class MemoryFileSystem implements FileSystem {

    private final Map<Path, Inode> files = new HashMap<>();
    private int failAfterBytes = -1;

    @Override
    public synchronized boolean exists(Path path) {
        return files.containsKey(path);
    }

    @Override
    public synchronized long size(Path path) throws IOException {
        return inode(path).length;
    }

    @Override
    public synchronized byte[] readAllBytes(Path path) throws IOException {
        Inode inode = inode(path);
        return Arrays.copyOf(inode.data, inode.length);
    }

    @Override
    public synchronized Appender openForAppend(Path path) {
        return new MemoryAppender(files.computeIfAbsent(path, p -> new Inode()));
    }

    @Override
    public synchronized void writeAtomically(Path path, Path temp, byte[] content) throws IOException {
        Inode inode = new Inode();
        files.put(temp, inode);
        try {
            inode.append(content, 0, content.length);
        } catch (IOException e) {
            files.remove(temp);
            throw e;
        }
        inode.synced = inode.length;
        files.remove(temp);
        files.put(path, inode);
    }

    @Override
    public synchronized boolean delete(Path path) {
        return files.remove(path) != null;
    }

    /** Puts {@code content} at {@code path}, synced, replacing any file there. */
    public synchronized void put(Path path, byte[] content) {
        Inode inode = new Inode();
        inode.data = content.clone();
        inode.length = content.length;
        inode.synced = content.length;
        files.put(path, inode);
    }

    /** Cuts the file to its first {@code length} bytes, as a write torn by a crash leaves it. */
    public synchronized void truncate(Path path, long length) throws IOException {
        Inode inode = inode(path);
        if (length < 0 || length > inode.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + inode.length);
        }
        inode.length = (int) length;
        inode.synced = Math.min(inode.synced, inode.length);
    }

    /** Flips bit {@code bit} (0 = least significant) of the byte at {@code offset}. */
    public synchronized void flipBit(Path path, long offset, int bit) throws IOException {
        Inode inode = inode(path);
        Objects.checkIndex(offset, inode.length);
        Objects.checkIndex(bit, 8);
        inode.data[(int) offset] ^= (byte) (1 << bit);
    }

    /** Drops from every file the bytes written since its last sync, as a power cut does. */
    public synchronized void crash() {
        files.values().forEach(inode -> inode.length = inode.synced);
    }

    /**
     * Makes the next write (an append or an atomic write) store only its first {@code bytesBeforeFailure} bytes and
     * then throw an {@link IOException}, as a full disk does.
     */
    public synchronized void failNextWrite(int bytesBeforeFailure) {
        if (bytesBeforeFailure < 0) {
            throw new IllegalArgumentException("negative byte count");
        }
        failAfterBytes = bytesBeforeFailure;
    }

    private Inode inode(Path path) throws NoSuchFileException {
        Inode inode = files.get(path);
        if (inode == null) {
            throw new NoSuchFileException(path.toString());
        }
        return inode;
    }

    /** One file's bytes; several paths or appenders may refer to it over its life. */
    private final class Inode {
        byte[] data = new byte[64];
        int length;
        int synced;

        void append(byte[] bytes, int offset, int count) throws IOException {
            Objects.checkFromIndexSize(offset, count, bytes.length);
            int allowed = failAfterBytes < 0 ? count : Math.min(count, failAfterBytes);
            if (length + allowed > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, length + allowed));
            }
            System.arraycopy(bytes, offset, data, length, allowed);
            length += allowed;
            if (failAfterBytes >= 0) {
                failAfterBytes = -1;
                throw new IOException("simulated write failure after " + allowed + " of " + count + " bytes");
            }
        }
    }

    private final class MemoryAppender implements Appender {
        private final Inode inode;
        private boolean closed;

        MemoryAppender(Inode inode) {
            this.inode = inode;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            synchronized (MemoryFileSystem.this) {
                ensureOpen();
                inode.append(bytes, offset, length);
            }
        }

        @Override
        public void sync() throws IOException {
            synchronized (MemoryFileSystem.this) {
                ensureOpen();
                inode.synced = inode.length;
            }
        }

        @Override
        public void close() {
            synchronized (MemoryFileSystem.this) {
                closed = true;
            }
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("appender closed");
            }
        }
    }
}
