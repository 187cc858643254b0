package io.murmur.transport.aeron;

import io.murmur.protocol.Address;
import io.murmur.transport.Transport;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** A listener that records packets and answers requests with a given function (an echo by default). */
final class RecordingListener implements Transport.Listener {

    /** One received packet. */
    record Received(Address from, byte[] packet) {}

    final BlockingQueue<Received> packets = new LinkedBlockingQueue<>();
    private final BiFunction<Address, byte[], CompletionStage<byte[]>> onRequest;

    RecordingListener(BiFunction<Address, byte[], CompletionStage<byte[]>> onRequest) {
        this.onRequest = onRequest;
    }

    /** Answers every request with its own bytes. */
    static RecordingListener echo() {
        return new RecordingListener((from, request) -> CompletableFuture.completedFuture(request));
    }

    @Override
    public void onPacket(Address from, byte[] packet) {
        packets.add(new Received(from, packet));
    }

    @Override
    public CompletionStage<byte[]> onRequest(Address from, byte[] request) {
        return onRequest.apply(from, request);
    }

    /** The next packet, waiting up to {@code max}; null when none came. */
    Received next(Duration max) throws InterruptedException {
        return packets.poll(max.toNanos(), TimeUnit.NANOSECONDS);
    }
}
