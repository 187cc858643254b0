package io.murmur.transport.aeron;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one JVM runs for Aeron: an embedded media driver in SHARED threading mode, one Aeron client, the routes to
 * every destination, and the poller thread. Two threads, daemons that park when idle: the driver's, and the poller,
 * which also runs the client's conductor (Aeron's invoker mode) instead of a third thread waking every 16 ms. On
 * the project's virtual machines a thread's wake costs tens of microseconds, so an idle agent's client conductor
 * alone used 4-7 ms of CPU a second. With {@link AeronSettings#driverInPoller()} the poller runs the driver too, and
 * there is one thread.
 */
final class EmbeddedMedia {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMedia.class);
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
        AbandonedDirectories.removeUnder(Path.of(ctx.aeronDirectoryName()).getParent());
        MediaDriver launched = MediaDriver.launchEmbedded(ctx);
        // In INVOKER mode nobody runs the driver but the poller and, while a client call waits for the driver's
        // answer, the calling thread: both under the client's lock, so never two at once.
        AgentInvoker driverInvoker = launched.sharedAgentInvoker();
        ReentrantLock clientLock = new ReentrantLock();
        Aeron client = null;
        try {
            client = Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(launched.aeronDirectoryName())
                    .useConductorAgentInvoker(true)
                    .driverAgentInvoker(driverInvoker)
                    .clientLock(clientLock)
                    .errorHandler(e -> log.warn("aeron client error", e)));
            this.driver = launched;
            this.aeron = client;
            this.poller = new MediaPoller(clock, settings, client.conductorAgentInvoker(), driverInvoker, clientLock);
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
     * after 4 s (not 10 s). Both stay far above the 100 ms heartbeat and the status-message interval (500 ms; the
     * settings insist on at most half the connection timeout), so a live but quiet peer never looks gone; a peer that
     * comes back on the same port reconnects with a new SETUP.
     */
    static MediaDriver.Context driverContext(AeronSettings settings) {
        return new MediaDriver.Context()
                .aeronDirectoryName(uniqueDirectory(settings.directory()))
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .warnIfDirectoryExists(false)
                .threadingMode(settings.driverInPoller() ? ThreadingMode.INVOKER : ThreadingMode.SHARED)
                .sharedIdleStrategy(idleStrategy(
                        settings.minPark().toNanos(), settings.driverMaxPark().toNanos()))
                .sharedThreadFactory(daemon("murmur-aeron-driver"))
                .asyncExecutorEnabled(false)
                // Log buffers as sparse files: Aeron otherwise touches every page of each new stream's 3 terms when
                // it creates it, on both sides, which a mass join does for hundreds of streams at once; a page now
                // costs memory only once data reaches it.
                .termBufferSparseFile(true)
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

    /**
     * Never spin, never yield, park from the first idle cycle ({@link ParkWhenIdle} says why). The driver's CPU with
     * 200 nodes in one JVM: 48 % of a core spinning 10 times and yielding 20 before a 1 µs first park; 16 % with
     * Agrona's back-off told not to spin or yield; a quarter less again with {@code ParkWhenIdle}
     * (docs/benchmarks.md). A millisecond more per hop is nothing to probes that wait hundreds.
     */
    private static ParkWhenIdle idleStrategy(long minParkNanos, long maxParkNanos) {
        return new ParkWhenIdle(Math.min(minParkNanos, maxParkNanos), maxParkNanos);
    }

    private static String uniqueDirectory(Path parent) {
        Path base = parent;
        if (base == null) {
            Path shm = Path.of("/dev/shm");
            base = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? shm
                    : Path.of(System.getProperty("java.io.tmpdir"));
        }
        String name = "murmur-aeron-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        return base.resolve(name).toAbsolutePath().toString().replace('/', File.separatorChar);
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
