package io.murmur.transport.aeron;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duty cycle of the media's one poller thread: runs queued commands, polls every started node's subscriptions,
 * drives the routes that have work (registrations, held packets, reliable-path chunks), and now and then closes idle
 * routes and discards stale partial messages. It owns the list of receivers; other threads change it through
 * {@link #execute}. Anything queued for it also unparks it, so a backing-off idle strategy adds no latency to sends.
 */
final class MediaPoller implements Agent {

    private static final Logger log = LoggerFactory.getLogger(MediaPoller.class);
    private static final long HOUSEKEEPING_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ManyToOneConcurrentLinkedQueue<Runnable> commands = new ManyToOneConcurrentLinkedQueue<>();
    private final ManyToOneConcurrentLinkedQueue<Route> scheduled = new ManyToOneConcurrentLinkedQueue<>();
    private final ArrayList<Route> active = new ArrayList<>();
    private final UnsafeBuffer scratch =
            new UnsafeBuffer(new byte[Envelope.MAX_PREFIX_LENGTH + Envelope.CHUNK_FIELDS_LENGTH]);
    private final NanoClock clock;
    private final AgentInvoker clientConductor;
    private final AgentInvoker driver;
    private final Lock clientLock;
    private final long housekeepingIntervalNanos;
    private Routes routes;
    private NodeReceiver[] receivers = new NodeReceiver[0];
    private long nextHousekeepingNanos;
    private volatile Thread thread;
    private volatile boolean stopped;

    /**
     * @param clientConductor the Aeron client's conductor, run at every duty cycle: it reads the driver's responses
     *     (a publication registered, an image gone) and keeps the client alive with the driver
     * @param driver the media driver's duty cycle when it runs on this thread (Aeron's INVOKER mode), else null
     * @param clientLock the Aeron client's lock, held while the driver runs: a client call that waits for the driver
     *     runs it too, on its own thread, under the same lock
     */
    MediaPoller(
            NanoClock clock,
            AeronSettings settings,
            AgentInvoker clientConductor,
            AgentInvoker driver,
            Lock clientLock) {
        this.clock = clock;
        this.clientConductor = clientConductor;
        this.driver = driver;
        this.clientLock = clientLock;
        this.housekeepingIntervalNanos = Math.max(
                TimeUnit.MILLISECONDS.toNanos(1),
                Math.min(
                        HOUSEKEEPING_INTERVAL_NANOS,
                        settings.publicationIdleTimeout().toNanos() / 4));
    }

    /** Completes construction: the routes schedule work on this poller. */
    void attach(Routes routes) {
        this.routes = routes;
    }

    @Override
    public void onStart() {
        thread = Thread.currentThread();
        nextHousekeepingNanos = clock.nanoTime() + housekeepingIntervalNanos;
    }

    @Override
    public int doWork() {
        long now = clock.nanoTime();
        int work = invokeDriver() + clientConductor.invoke() + runCommands();
        for (NodeReceiver r : receivers) {
            work += r.poll(now);
        }
        Route route;
        while ((route = scheduled.poll()) != null) {
            active.add(route);
        }
        for (int i = 0; i < active.size(); ) {
            Route r = active.get(i);
            try {
                work += r.doWork(now, scratch);
            } catch (RuntimeException e) {
                log.warn("{} failed; closing it", r, e);
                r.shutdown();
            }
            if (r.retireIfDone()) {
                active.set(i, active.get(active.size() - 1));
                active.remove(active.size() - 1);
            } else {
                i++;
            }
        }
        if (now - nextHousekeepingNanos >= 0) {
            nextHousekeepingNanos = now + housekeepingIntervalNanos;
            work += routes.closeIdle(now);
            for (NodeReceiver r : receivers) {
                r.expire(now);
            }
        }
        return work;
    }

    @Override
    public void onClose() {
        stopped = true;
        runCommands();
    }

    @Override
    public String roleName() {
        return "murmur-aeron-poller";
    }

    /** Any thread: runs {@code command} on the poller thread, soon. */
    void execute(Runnable command) {
        commands.offer(command);
        wake();
    }

    /**
     * Any thread: runs {@code command} on the poller thread and waits for it; runs it in place when called on the
     * poller thread or once the poller has stopped.
     */
    void executeAndWait(Runnable command, long timeoutNanos) {
        if (Thread.currentThread() == thread || stopped) {
            command.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            try {
                command.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("poller did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Any thread: asks the poller to work on {@code route}. */
    void schedule(Route route) {
        scheduled.offer(route);
        wake();
    }

    /** Poller thread: starts delivering to {@code receiver}. */
    void addReceiver(NodeReceiver receiver) {
        NodeReceiver[] next = Arrays.copyOf(receivers, receivers.length + 1);
        next[receivers.length] = receiver;
        receivers = next;
    }

    /** Poller thread: stops delivering to {@code receiver}. */
    void removeReceiver(NodeReceiver receiver) {
        receivers = Arrays.stream(receivers).filter(r -> r != receiver).toArray(NodeReceiver[]::new);
    }

    /** Whether the calling thread is the poller. */
    boolean isPollerThread() {
        return Thread.currentThread() == thread;
    }

    /** One duty cycle of the driver, unless it runs elsewhere or a client call is running it now. */
    private int invokeDriver() {
        if (driver == null || !clientLock.tryLock()) {
            return 0;
        }
        try {
            return driver.invoke();
        } finally {
            clientLock.unlock();
        }
    }

    private int runCommands() {
        int n = 0;
        Runnable c;
        while ((c = commands.poll()) != null) {
            try {
                c.run();
            } catch (RuntimeException e) {
                log.warn("poller command failed", e);
            }
            n++;
        }
        return n;
    }

    private void wake() {
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
        }
    }
}
