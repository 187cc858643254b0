package io.murmur.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** {@link FileSystem} on the local disk through {@code java.nio}: fsync on sync, rename with {@code ATOMIC_MOVE}. */
public final class RealFileSystem implements FileSystem {

    /** The one instance; it holds no state. */
    public static final RealFileSystem INSTANCE = new RealFileSystem();

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private RealFileSystem() {}

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public long size(Path path) throws IOException {
        return Files.size(path);
    }

    @Override
    public byte[] readAllBytes(Path path) throws IOException {
        return Files.readAllBytes(path);
    }

    @Override
    public Appender openForAppend(Path path) throws IOException {
        boolean created = !Files.exists(path);
        FileChannel channel =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (created) {
            syncDirectory(path); // the new directory entry must survive a crash too
        }
        return new ChannelAppender(channel);
    }

    @Override
    public void writeAtomically(Path path, Path temp, byte[] content) throws IOException {
        writeAtomically(path, temp, content, false);
    }

    /**
     * Creates {@code temp} afresh (a leftover temp file, whatever its mode, is deleted first) with mode {@code 0600}
     * given at creation, then sets {@code 0600} again before writing, since the umask may have taken bits away at
     * creation; only then are the secret bytes written. The rename keeps the mode.
     */
    @Override
    public void writeAtomicallyOwnerOnly(Path path, Path temp, byte[] content) throws IOException {
        writeAtomically(path, temp, content, supportsPosix(temp));
    }

    private void writeAtomically(Path path, Path temp, byte[] content, boolean ownerOnly) throws IOException {
        try {
            FileChannel opened;
            if (ownerOnly) {
                Files.deleteIfExists(temp);
                opened = FileChannel.open(
                        temp,
                        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
            } else {
                opened = FileChannel.open(
                        temp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            }
            try (FileChannel channel = opened) {
                if (ownerOnly) {
                    Files.setPosixFilePermissions(temp, OWNER_READ_WRITE);
                }
                writeFully(channel, content, 0, content.length);
                channel.force(true);
            }
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(path); // makes the rename itself durable
    }

    private static boolean supportsPosix(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return (dir == null ? file : dir)
                .getFileSystem()
                .supportedFileAttributeViews()
                .contains("posix");
    }

    @Override
    public boolean delete(Path path) throws IOException {
        return Files.deleteIfExists(path);
    }

    private static void writeFully(FileChannel channel, byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Best effort: some platforms cannot open a directory for sync, and the data is already safe in the file. */
    private static void syncDirectory(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported here (e.g. Windows); nothing more we can do
        }
    }

    private static final class ChannelAppender implements Appender {
        private final FileChannel channel;

        ChannelAppender(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            writeFully(channel, bytes, offset, length);
        }

        @Override
        public void sync() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
