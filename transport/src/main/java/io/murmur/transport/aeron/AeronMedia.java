package io.murmur.transport.aeron;

import io.aeron.driver.MediaDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * A reference to the JVM's one embedded Aeron media: a MediaDriver (SHARED threading, backing-off idle strategy, small
 * terms, a directory of its own), one Aeron client and one poller thread, shared by every {@link AeronTransport} of
 * the JVM. The media is launched by the first {@link #acquire} and stopped, its directory deleted, when the last
 * reference is released. Each {@link AeronTransport} holds a reference of its own while it is open, so a media outlives
 * the handle it was bound with until its transports are closed too.
 *
 * <pre>{@code
 * try (AeronMedia media = AeronMedia.acquire()) {
 *     AeronTransport t = AeronTransport.bind(media, new Address("127.0.0.1", 0));
 *     ...
 *     t.close();
 * }
 * }</pre>
 *
 * Thread-safe. Closing a handle twice releases it once.
 */
public final class AeronMedia implements AutoCloseable {

    private static final Object REGISTRY = new Object();
    /** The running media, or null. Guarded by {@link #REGISTRY}. */
    private static EmbeddedMedia running;

    private final EmbeddedMedia media;
    private final AtomicBoolean released = new AtomicBoolean();

    private AeronMedia(EmbeddedMedia media) {
        this.media = media;
    }

    /** A reference to the JVM's media with {@link AeronSettings#defaults()}, launching it if none runs. */
    public static AeronMedia acquire() {
        return acquire(AeronSettings.defaults());
    }

    /**
     * A reference to the JVM's media, launching it with {@code settings} if none runs.
     *
     * @throws IllegalStateException if a media already runs with other settings (one driver per JVM)
     */
    public static AeronMedia acquire(AeronSettings settings) {
        synchronized (REGISTRY) {
            if (running == null) {
                running = EmbeddedMedia.launch(settings);
            } else if (!running.settings.equals(settings)) {
                throw new IllegalStateException(
                        "an Aeron media already runs in this JVM with other settings: " + running.settings);
            }
            running.users++;
            return new AeronMedia(running);
        }
    }

    /**
     * Launches the JVM's media with a driver configuration adjusted by {@code customize}; for tests that inject loss.
     *
     * @throws IllegalStateException if a media already runs
     */
    static AeronMedia launchCustomized(AeronSettings settings, UnaryOperator<MediaDriver.Context> customize) {
        synchronized (REGISTRY) {
            if (running != null) {
                throw new IllegalStateException("an Aeron media already runs in this JVM");
            }
            running = EmbeddedMedia.launch(settings, customize);
            running.users++;
            return new AeronMedia(running);
        }
    }

    /** Whether a media runs in this JVM now. */
    public static boolean isRunning() {
        synchronized (REGISTRY) {
            return running != null;
        }
    }

    /** Unreleased references to the JVM's media (handles and open transports); 0 when none runs. */
    public static int users() {
        synchronized (REGISTRY) {
            return running == null ? 0 : running.users;
        }
    }

    /** Another reference to the same media, released independently of this one. */
    public AeronMedia share() {
        synchronized (REGISTRY) {
            if (released.get() || running != media) {
                throw new IllegalStateException("this media reference was released");
            }
            media.users++;
            return new AeronMedia(media);
        }
    }

    /** Releases this reference; the media stops when it was the last. Idempotent. */
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        synchronized (REGISTRY) {
            if (--media.users == 0) {
                if (running == media) {
                    running = null;
                }
                media.close();
            }
        }
    }

    /** Same as {@link #release()}. */
    @Override
    public void close() {
        release();
    }

    /** Whether this reference was released. */
    public boolean isReleased() {
        return released.get();
    }

    /** The settings the media runs with. */
    public AeronSettings settings() {
        return media.settings;
    }

    /** The driver's directory (unique to this launch; deleted when the media stops). */
    public Path directory() {
        return Path.of(media.driver.aeronDirectoryName());
    }

    /** Whether the driver's directory still exists. */
    boolean directoryExists() {
        return Files.exists(directory());
    }

    /** Publications open now, over all destinations and both streams. */
    public int openPublications() {
        return media.routes.openPublications();
    }

    EmbeddedMedia media() {
        if (released.get()) {
            throw new IllegalStateException("this media reference was released");
        }
        return media;
    }
}
