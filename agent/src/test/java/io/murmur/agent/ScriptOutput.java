package io.murmur.agent;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What an event-handler script wrote, for tests. Scripts publish a file by renaming it into place once it is whole
 * ({@link #publishing}), so the file's appearance, reported by the file system's watch service, is the signal: no
 * polling, no waiting a guessed time for the script to finish writing.
 */
final class ScriptOutput {
    private ScriptOutput() {}

    /**
     * A shell body that runs {@code body} with {@code $D} set to a fresh directory next to {@code dir}, then moves
     * whatever it wrote there into {@code dir} (a rename: each file appears complete).
     */
    static String publishing(Path dir, String body) {
        return "D=$(mktemp -d '" + dir + "/.run.XXXXXX')\n" + body + "\n"
                + "for f in \"$D\"/*; do [ -e \"$f\" ] && mv \"$f\" '" + dir + "/'; done; rmdir \"$D\"\n";
    }

    /** Waits (at most {@code max}) for {@code name} to appear in {@code dir}, and reads it. */
    static String await(Path dir, String name, Duration max) throws IOException, InterruptedException {
        Path file = dir.resolve(name);
        long deadline = System.nanoTime() + max.toNanos();
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, ENTRY_CREATE); // before the first look, so an arrival in between is not missed
            while (!Files.exists(file)) {
                WatchKey key = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (key == null) {
                    fail(name + " was never written in " + dir);
                }
                key.pollEvents();
                key.reset();
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
