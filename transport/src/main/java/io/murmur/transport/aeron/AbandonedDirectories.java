package io.murmur.transport.aeron;

import io.aeron.CommonContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the driver directories that killed JVMs left behind: a SIGKILL runs no shutdown hook, and /dev/shm keeps
 * their megabytes until reboot. A directory goes only when all of these hold: it is a real directory (not a link)
 * owned by this user, named {@code murmur-aeron-<pid>-...} for a process that no longer runs, unchanged for
 * {@link #ABANDONED_AFTER_MS} (a driver still creating its files is not touched), and its driver either never
 * finished starting or has not beaten its heartbeat for that long. Deletion never follows links.
 */
final class AbandonedDirectories {

    private static final Logger log = LoggerFactory.getLogger(AbandonedDirectories.class);
    static final long ABANDONED_AFTER_MS = 10_000;
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private AbandonedDirectories() {}

    /** Looks under {@code base}; returns how many directories were removed. Never throws. */
    static int removeUnder(Path base) {
        int removed = 0;
        UserPrincipal me;
        try {
            me = base.getFileSystem()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, "murmur-aeron-*")) {
            for (Path dir : dirs) {
                try {
                    if (abandoned(dir, me)) {
                        deleteTree(dir);
                        removed++;
                        log.info("removed {}, left by a process that no longer runs", dir);
                    }
                } catch (IOException | RuntimeException e) {
                    log.debug("left {} alone: {}", dir, e.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("could not look for abandoned driver directories in {}: {}", base, e.toString());
        }
        return removed;
    }

    private static boolean abandoned(Path dir, UserPrincipal me) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class, NO_FOLLOW);
        if (!attributes.isDirectory() || !me.equals(Files.getOwner(dir, NO_FOLLOW))) {
            return false;
        }
        long pid = pidOf(dir.getFileName().toString());
        if (pid <= 0 || ProcessHandle.of(pid).isPresent()) {
            return false;
        }
        if (System.currentTimeMillis() - attributes.lastModifiedTime().toMillis() < ABANDONED_AFTER_MS) {
            return false;
        }
        Path cnc = dir.resolve("cnc.dat");
        if (!Files.isRegularFile(cnc, NO_FOLLOW) || cncVersion(cnc) == 0) {
            return true; // the driver never finished starting
        }
        // Only now, with a version written, does Aeron's check answer at once (it waits for a version otherwise).
        return !CommonContext.isDriverActive(dir.toFile(), ABANDONED_AFTER_MS, message -> {});
    }

    /** {@code murmur-aeron-<pid>-<uuid>}: the pid, or -1. */
    static long pidOf(String name) {
        String[] parts = name.split("-", 4);
        try {
            return parts.length == 4 ? Long.parseLong(parts[2]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The mark file's first word, Aeron's version field: zero until the driver has finished writing the file. */
    private static int cncVersion(Path cnc) throws IOException {
        try (FileChannel channel = FileChannel.open(cnc, StandardOpenOption.READ)) {
            ByteBuffer word = ByteBuffer.allocate(Integer.BYTES);
            while (word.hasRemaining() && channel.read(word) > 0) {
                // read the whole word
            }
            return word.hasRemaining() ? 0 : word.flip().getInt();
        }
    }

    /** Deletes {@code dir} and what it holds; a link inside is removed as a link, never followed. */
    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
