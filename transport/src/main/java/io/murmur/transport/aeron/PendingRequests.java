package io.murmur.transport.aeron;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests a node has sent and not yet seen answered, by correlation id. Ids start at a random value, so a
 * response meant for an earlier incarnation of the node, or a guessed one, is very unlikely to match.
 */
final class PendingRequests {

    private final ConcurrentHashMap<Long, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(ThreadLocalRandom.current().nextLong());

    /** Registers {@code response} under a new id; it leaves the table when it completes, however it completes. */
    long add(CompletableFuture<byte[]> response) {
        long id = nextId.getAndIncrement();
        pending.put(id, response);
        response.whenComplete((bytes, error) -> pending.remove(id, response));
        return id;
    }

    /** The pending response with this id, or null. */
    CompletableFuture<byte[]> get(long id) {
        return pending.get(id);
    }

    /** Fails every pending response with {@code error}. */
    void failAll(Throwable error) {
        for (CompletableFuture<byte[]> f : pending.values()) {
            f.completeExceptionally(error);
        }
    }

    int size() {
        return pending.size();
    }
}
