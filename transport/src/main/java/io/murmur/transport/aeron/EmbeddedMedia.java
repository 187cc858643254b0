package io.murmur.transport.aeron;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one JVM runs for Aeron: an embedded media driver in SHARED threading mode, one Aeron client, the routes to
 * every destination, and the poller thread. All three threads are daemons and back off to a park when idle.
 */
final class EmbeddedMedia {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMedia.class);
    /**
     * The driver's duty cycle walks every publication and image, so its cost is cycles times streams. After any work
     * the idle strategy parks at once, for at least {@link AeronSettings#minPark()} (1 ms unless set), instead of
     * spinning and yielding: with a few hundred
     * streams heartbeating every 100 ms there is nearly always a little work, and spinning turned that into a busy
     * loop (measured with 200 nodes in one JVM: 48 % of a core with 10 spins, 20 yields and a 1 µs first park; 16 %
     * this way). A millisecond more per hop is nothing to probes that wait hundreds.
     */
    private static final long SPINS = 0;

    private static final long YIELDS = 0;
    /** A driver directory whose heartbeat is older than this, of a process that is gone, is removed at launch. */
    private static final long ABANDONED_AFTER_MS = 10_000;

    private static final int COUNTERS_VALUES_LENGTH = 1024 * 1024;

    final AeronSettings settings;
    final MediaDriver driver;
    final Aeron aeron;
    final MediaPoller poller;
    final Routes routes;
    private final AgentRunner pollerRunner;
    /** Deletes the driver directory if the JVM exits with the media still running (files in /dev/shm outlive it). */
    private final Thread deleteDirectoryAtExit;
    /** Users: {@link AeronMedia} handles not yet released. Guarded by AeronMedia's registry lock. */
    int users;

    private EmbeddedMedia(AeronSettings settings, NanoClock clock, UnaryOperator<MediaDriver.Context> customize) {
        this.settings = settings;
        MediaDriver.Context ctx = customize.apply(driverContext(settings));
        MediaDriver launched = MediaDriver.launchEmbedded(ctx);
        Aeron client = null;
        try {
            client = Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(launched.aeronDirectoryName())
                    .threadFactory(daemon("murmur-aeron-client"))
                    .errorHandler(e -> log.warn("aeron client error", e)));
            this.driver = launched;
            this.aeron = client;
            this.poller = new MediaPoller(clock, settings);
            this.routes = new Routes(client, settings, clock, poller::schedule);
            poller.attach(routes);
            this.pollerRunner = new AgentRunner(
                    idleStrategy(
                            settings.minPark().toNanos(),
                            settings.pollerMaxPark().toNanos()),
                    e -> log.warn("poller error", e),
                    null,
                    poller);
            AgentRunner.startOnThread(pollerRunner, daemon("murmur-aeron-poller"));
            String directory = launched.aeronDirectoryName();
            this.deleteDirectoryAtExit =
                    new Thread(() -> IoUtil.delete(new File(directory), true), "murmur-aeron-dir-cleanup");
            Runtime.getRuntime().addShutdownHook(deleteDirectoryAtExit);
        } catch (RuntimeException e) {
            CloseHelper.quietClose(client);
            CloseHelper.quietClose(launched);
            throw e;
        }
        log.info("aeron media driver started in {}", driver.aeronDirectoryName());
    }

    static EmbeddedMedia launch(AeronSettings settings) {
        return new EmbeddedMedia(settings, SystemNanoClock.INSTANCE, UnaryOperator.identity());
    }

    /** Launches with a driver configuration adjusted by {@code customize} (tests inject loss this way). */
    static EmbeddedMedia launch(AeronSettings settings, UnaryOperator<MediaDriver.Context> customize) {
        return new EmbeddedMedia(settings, SystemNanoClock.INSTANCE, customize);
    }

    /** Stops the poller, closes every publication, the client and the driver (which deletes its directory). */
    void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(deleteDirectoryAtExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook deletes the directory anyway
        }
        CloseHelper.quietClose(pollerRunner);
        routes.shutdown();
        CloseHelper.quietClose(aeron);
        CloseHelper.quietClose(driver);
        log.info("aeron media driver stopped ({})", driver.aeronDirectoryName());
    }

    /**
     * The driver configuration. Timeouts, briefly: a publication reports NOT_CONNECTED 2 s (not 5 s) after its peer
     * went silent, so sends to a departed node are counted drops sooner, and an image of a departed sender is freed
     * after 4 s (not 10 s). Both stay far above the 100 ms heartbeat and 200 ms status-message intervals, so a live
     * but quiet peer never looks gone; a peer that comes back on the same port reconnects with a new SETUP.
     */
    static MediaDriver.Context driverContext(AeronSettings settings) {
        return new MediaDriver.Context()
                .aeronDirectoryName(uniqueDirectory(settings.directory()))
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .warnIfDirectoryExists(false)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idleStrategy(
                        settings.minPark().toNanos(), settings.driverMaxPark().toNanos()))
                .sharedThreadFactory(daemon("murmur-aeron-driver"))
                .asyncExecutorEnabled(false)
                .publicationTermBufferLength(settings.termLength())
                .ipcTermBufferLength(settings.termLength())
                .initialWindowLength(settings.termLength())
                .mtuLength(settings.mtu())
                .counterValuesBufferLength(COUNTERS_VALUES_LENGTH)
                .publicationConnectionTimeoutNs(
                        settings.publicationConnectionTimeout().toNanos())
                .imageLivenessTimeoutNs(settings.imageLivenessTimeout().toNanos())
                .statusMessageTimeoutNs(settings.statusMessageInterval().toNanos())
                .errorHandler(e -> log.warn("aeron driver error", e));
    }

    private static BackoffIdleStrategy idleStrategy(long minParkNanos, long maxParkNanos) {
        return new BackoffIdleStrategy(SPINS, YIELDS, Math.min(minParkNanos, maxParkNanos), maxParkNanos);
    }

    private static String uniqueDirectory(Path parent) {
        Path base = parent;
        if (base == null) {
            Path shm = Path.of("/dev/shm");
            base = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? shm
                    : Path.of(System.getProperty("java.io.tmpdir"));
        }
        removeAbandonedDirectories(base);
        String name = "murmur-aeron-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        return base.resolve(name).toAbsolutePath().toString().replace('/', File.separatorChar);
    }

    /**
     * Deletes the driver directories that killed JVMs left under {@code base} (a SIGKILL runs no shutdown hook, and
     * /dev/shm keeps their megabytes until reboot): those named for a process that no longer runs and whose driver has
     * not beaten its heartbeat for {@link #ABANDONED_AFTER_MS}. Both must hold, so a live driver is never touched even
     * if its pid came from another pid namespace. Only real directories this user owns are candidates: /dev/shm is
     * writable by everyone, and a link or another user's directory planted under such a name must not make this
     * process delete what it points to. Returns how many were deleted.
     */
    static int removeAbandonedDirectories(Path base) {
        int removed = 0;
        Object uid = processUid();
        if (uid == null) {
            return 0;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, "murmur-aeron-*")) {
            for (Path dir : dirs) {
                if (!isDirectoryOwnedBy(dir, uid)) {
                    continue;
                }
                String[] parts = dir.getFileName().toString().split("-", 4);
                long pid;
                try {
                    pid = parts.length == 4 ? Long.parseLong(parts[2]) : -1;
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid <= 0 || ProcessHandle.of(pid).isPresent()) {
                    continue;
                }
                if (CommonContext.isDriverActive(dir.toFile(), ABANDONED_AFTER_MS, m -> {})) {
                    continue;
                }
                IoUtil.delete(dir.toFile(), true);
                removed++;
                log.info("removed {}, left by process {} which no longer runs", dir, pid);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("could not look for abandoned driver directories in {}: {}", base, e.toString());
        }
        return removed;
    }

    /** Whether {@code path} itself, not what a link there points to, is a directory that {@code uid} owns. */
    private static boolean isDirectoryOwnedBy(Path path, Object uid) {
        try {
            return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    && uid.equals(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** This process's user id (the owner of its /proc entry); null where that cannot be read. */
    private static Object processUid() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
            t.setDaemon(true);
            return t;
        };
    }
}
