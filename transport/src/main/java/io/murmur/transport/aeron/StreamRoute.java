package io.murmur.transport.aeron;

import io.aeron.Publication;
import io.murmur.protocol.Address;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.agrona.MutableDirectBuffer;

/**
 * The reliable path to one destination: queued request and response messages, sent chunk by chunk by the poller. The
 * messages take turns one chunk at a time, so a small request does not wait behind a megabyte of push/pull state.
 * Back-pressure just leaves the rest for the next duty cycle; nothing here ever blocks a caller.
 */
final class StreamRoute extends Route {

    /** Chunks offered per duty cycle at most, so one route cannot starve the others. */
    private static final int CHUNKS_PER_CYCLE = 64;

    private final ArrayDeque<OutboundMessage> queue = new ArrayDeque<>();

    StreamRoute(Routes routes, Address destination, long nowNanos) {
        super(routes, destination, Channels.RELIABLE_STREAM_ID, nowNanos);
    }

    /** Any thread: queues a message. False when the route closed meanwhile (look the destination up again). */
    boolean enqueue(OutboundMessage message, long nowNanos) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            lastUsedNanos = nowNanos;
            if (!inFailureBackoff(nowNanos)) {
                queue.addLast(message);
                requestWork();
                return true;
            }
        }
        routes.release(message.size());
        message.drop("destination " + destination + " recently failed to open");
        return true;
    }

    @Override
    int work(long nowNanos, MutableDirectBuffer scratch) {
        int work = advanceRegistration(nowNanos);
        for (Iterator<OutboundMessage> it = queue.iterator(); it.hasNext(); ) {
            OutboundMessage m = it.next();
            if (m.isCancelled()) {
                it.remove();
                routes.release(m.size());
                work++;
            } else if (m.isPastDeadline(nowNanos)) {
                it.remove();
                routes.release(m.size());
                OutboundMessage late = m;
                defer(() -> late.drop("not sent to " + destination + " in time"));
                work++;
            }
        }
        if (publication == null || queue.isEmpty()) {
            return work;
        }
        int maxMessageLength = publication.maxMessageLength();
        int budget = CHUNKS_PER_CYCLE;
        boolean progress = true;
        while (progress && budget > 0 && !queue.isEmpty()) {
            progress = false;
            for (Iterator<OutboundMessage> it = queue.iterator(); it.hasNext() && budget > 0; ) {
                OutboundMessage m = it.next();
                long result = m.offerNextChunk(publication, scratch, maxMessageLength);
                if (result > 0) {
                    budget--;
                    work++;
                    progress = true;
                    lastUsedNanos = nowNanos;
                    if (m.isDone()) {
                        it.remove();
                        routes.release(m.size());
                    }
                } else if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    close("publication closed");
                    return work + 1;
                } else {
                    return work; // not connected or back-pressured: the whole publication waits
                }
            }
        }
        return work;
    }

    @Override
    boolean hasQueued() {
        return !queue.isEmpty();
    }

    @Override
    void dropQueued(String reason) {
        OutboundMessage m;
        while ((m = queue.pollFirst()) != null) {
            routes.release(m.size());
            if (!m.isCancelled()) {
                OutboundMessage dropped = m;
                defer(() -> dropped.drop(reason + " (" + destination + ")"));
            }
        }
    }
}
