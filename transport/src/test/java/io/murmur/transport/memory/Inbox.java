package io.murmur.transport.memory;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.transport.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A listener that records what arrives, with the time it arrived, and answers every request with its own bytes. Tests
 * wait on it (with timeouts), never sleep.
 */
final class Inbox implements Transport.Listener {

    /** One packet that arrived. */
    record Arrival(Address from, byte[] packet, long atNanos) {
        int number() {
            return ByteBuffer.wrap(packet).getInt();
        }
    }

    static final Duration WAIT = Duration.ofSeconds(10);

    final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    final Semaphore arrived = new Semaphore(0);
    final BlockingQueue<Address> requests = new LinkedBlockingQueue<>();

    @Override
    public void onPacket(Address from, byte[] packet) {
        arrivals.add(new Arrival(from, packet, System.nanoTime()));
        arrived.release();
    }

    @Override
    public CompletionStage<byte[]> onRequest(Address from, byte[] request) {
        requests.add(from);
        return CompletableFuture.completedFuture(request);
    }

    /** A packet carrying {@code n}, padded to {@code size} bytes. */
    static byte[] numbered(int n, int size) {
        return ByteBuffer.allocate(Math.max(4, size)).putInt(n).array();
    }

    static byte[] numbered(int n) {
        return numbered(n, 4);
    }

    /** Waits until {@code count} packets have arrived in all, and returns them in arrival order. */
    List<Arrival> await(int count) throws InterruptedException {
        assertTrue(
                arrived.tryAcquire(count, WAIT.toMillis(), TimeUnit.MILLISECONDS),
                "only " + arrivals.size() + " of " + count + " packets arrived");
        arrived.release(count);
        return List.copyOf(arrivals);
    }

    /** The next arrival, waiting for it. */
    Arrival next() throws InterruptedException {
        Arrival a = arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(a, "nothing arrived");
        arrived.acquireUninterruptibly();
        return a;
    }

    /** The numbers carried by what has arrived so far, in arrival order. */
    List<Integer> numbers() {
        List<Integer> out = new ArrayList<>();
        for (Arrival a : arrivals) {
            out.add(a.number());
        }
        return out;
    }
}
