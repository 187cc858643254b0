package io.murmur.transport.aeron;

import io.aeron.ConcurrentPublication;
import io.aeron.exceptions.AeronException;
import io.murmur.protocol.Address;
import java.util.ArrayList;
import org.agrona.MutableDirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way to one destination endpoint on one stream: a publication shared by every node of the JVM, opened lazily,
 * and closed when idle. Senders touch a route from any thread; the poller drives its publication's registration and
 * its pending work. All state is guarded by the route's monitor.
 *
 * <p>A route is <em>scheduled</em> while it has work for the poller (a registration in flight, or frames waiting);
 * the poller retires it when the work is done. A closed route is never reused: senders look the destination up again.
 */
abstract sealed class Route permits PacketRoute, StreamRoute {

    private static final Logger log = LoggerFactory.getLogger(Route.class);
    private static final long NO_REGISTRATION = -1;

    final Address destination;
    final int streamId;
    final Routes routes;
    private final String channel;

    private long registrationId = NO_REGISTRATION;
    /** Null until registered, and again once closed or failed. */
    ConcurrentPublication publication;

    private boolean failed;
    private long failedAtNanos;
    long lastUsedNanos;
    boolean closed;
    private boolean scheduled;

    Route(Routes routes, Address destination, int streamId, long nowNanos) {
        this.routes = routes;
        this.destination = destination;
        this.streamId = streamId;
        this.channel = Channels.publication(destination, routes.settings);
        this.lastUsedNanos = nowNanos;
    }

    /** Callbacks that must not run under the monitor (they complete futures, which runs foreign code). */
    private ArrayList<Runnable> deferred = new ArrayList<>();

    /** Poller, under the monitor: advances registration and pending work. Returns the amount of work done. */
    abstract int work(long nowNanos, MutableDirectBuffer scratch);

    /** Poller: advances registration and pending work, then runs what was deferred. */
    final int doWork(long nowNanos, MutableDirectBuffer scratch) {
        int work;
        synchronized (this) {
            work = work(nowNanos, scratch);
        }
        runDeferred();
        return work;
    }

    /** Runs {@code callback} once the monitor is released. Under the monitor. */
    final void defer(Runnable callback) {
        deferred.add(callback);
    }

    /** Runs the deferred callbacks. Must be called without holding the monitor. */
    final void runDeferred() {
        ArrayList<Runnable> callbacks;
        synchronized (this) {
            if (deferred.isEmpty()) {
                return;
            }
            callbacks = deferred;
            deferred = new ArrayList<>();
        }
        for (Runnable r : callbacks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("callback of {} failed", this, e);
            }
        }
    }

    /** Whether anything waits in this route (held packets, queued messages). Under the monitor. */
    abstract boolean hasQueued();

    /** Drops everything queued, charging each to its sender, because of {@code reason}. Under the monitor. */
    abstract void dropQueued(String reason);

    /** Asks the poller to work on this route. Under the monitor. */
    final void requestWork() {
        if (!scheduled && !closed) {
            scheduled = true;
            routes.schedule(this);
        }
    }

    /**
     * True while a recent registration failure lets senders drop immediately; once the back-off is over, the next
     * sender starts a fresh registration. Under the monitor.
     */
    final boolean inFailureBackoff(long nowNanos) {
        if (!failed) {
            return false;
        }
        if (nowNanos - failedAtNanos < routes.settings.holdMaxAge().toNanos()) {
            return true;
        }
        failed = false;
        return false;
    }

    /** Poller, under the monitor: starts or completes the publication's registration. */
    final int advanceRegistration(long nowNanos) {
        if (publication != null || failed || closed) {
            return 0;
        }
        try {
            if (registrationId == NO_REGISTRATION) {
                registrationId = routes.aeron.asyncAddPublication(channel, streamId);
                return 1;
            }
            publication = routes.aeron.getPublication(registrationId);
            return publication != null ? 1 : 0;
        } catch (AeronException e) {
            log.warn("cannot open publication {} stream {}: {}", channel, streamId, e.getMessage());
            registrationId = NO_REGISTRATION;
            failed = true;
            failedAtNanos = nowNanos;
            dropQueued("cannot open publication: " + e.getMessage());
            return 1;
        }
    }

    /** Poller: gives up scheduling when nothing is left to do. */
    final synchronized boolean retireIfDone() {
        boolean registering = publication == null && !failed && !closed;
        if (closed || (!registering && !hasQueued())) {
            scheduled = false;
            return true;
        }
        return false;
    }

    /** Poller: closes the route when it has carried nothing for the idle timeout. */
    final boolean closeIfIdle(long nowNanos, long idleTimeoutNanos) {
        synchronized (this) {
            if (closed || scheduled || nowNanos - lastUsedNanos < idleTimeoutNanos) {
                return false;
            }
            if (publication == null && !failed) {
                return false; // registration in flight
            }
            close("idle");
        }
        runDeferred();
        return true;
    }

    /** Closes the route now, dropping what waits (the media is shutting down). */
    final void shutdown() {
        synchronized (this) {
            close("transport media closed");
        }
        runDeferred();
    }

    /** Closes the publication and drops what waits. Under the monitor. */
    final void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        dropQueued(reason);
        if (registrationId != NO_REGISTRATION) {
            try {
                routes.aeron.asyncRemovePublication(registrationId);
            } catch (AeronException e) {
                log.debug("removing publication {}: {}", channel, e.getMessage());
            }
        }
        publication = null;
        registrationId = NO_REGISTRATION;
    }

    /** Whether an open publication backs this route. */
    final synchronized boolean hasPublication() {
        return publication != null && !closed;
    }

    /** The publication's position (bytes offered so far), or -1 without a publication. */
    final synchronized long position() {
        return publication == null ? -1 : publication.position();
    }

    /** Whether the publication exists and has a connected subscriber. */
    final synchronized boolean isConnected() {
        return publication != null && publication.isConnected();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + destination + " stream " + streamId + "]";
    }
}
