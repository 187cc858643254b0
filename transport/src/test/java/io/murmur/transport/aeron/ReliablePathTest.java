package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReliablePathTest {

    private static final Address ANY_LOOPBACK_PORT = new Address("127.0.0.1", 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private AeronMedia media;
    private final List<AeronTransport> transports = new ArrayList<>();

    @BeforeEach
    void acquireMedia() {
        media = AeronMedia.acquire();
    }

    @AfterEach
    void releaseMedia() {
        transports.forEach(AeronTransport::close);
        media.release();
        assertFalse(AeronMedia.isRunning(), "every test releases the media it used");
    }

    private AeronTransport started(RecordingListener listener) {
        AeronTransport t = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
        transports.add(t);
        t.start(listener);
        return t;
    }

    private static byte[] get(java.util.concurrent.CompletionStage<byte[]> stage) throws Exception {
        return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aRequestIsAnsweredByThePeersListenerWhoSeesTheRequester() throws Exception {
        List<Address> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AeronTransport a = started(RecordingListener.echo());
        AeronTransport b = started(new RecordingListener((from, request) -> {
            seen.add(from);
            return CompletableFuture.completedFuture(PacketPathTest.bytes("re: " + PacketPathTest.text(request)));
        }));

        byte[] response = get(a.request(b.localAddress(), PacketPathTest.bytes("state?"), TIMEOUT));

        assertEquals("re: state?", PacketPathTest.text(response));
        assertEquals(List.of(a.localAddress()), seen);
        assertEquals(1, a.stats().requestsSent.sum());
        assertEquals(1, b.stats().requestsReceived.sum());
        assertEquals(0, a.stats().requestsFailed.sum());
        assertEquals(0, a.pendingRequests());
    }

    @Test
    void emptyRequestsAndResponsesAreCarried() throws Exception {
        AeronTransport a = started(RecordingListener.echo());
        AeronTransport b = started(RecordingListener.echo());
        assertArrayEquals(new byte[0], get(a.request(b.localAddress(), new byte[0], TIMEOUT)));
    }

    @Test
    void aTwoMegabytePushPullIsChunkedBothWays() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("aTwoMegabytePushPullIsChunkedBothWays seed=" + seed);
        Random random = new Random(seed);
        byte[] request = new byte[2 * 1024 * 1024 + 123];
        random.nextBytes(request);
        byte[] answer = new byte[2 * 1024 * 1024 - 77];
        random.nextBytes(answer);
        AeronTransport a = started(RecordingListener.echo());
        AeronTransport b = started(new RecordingListener((from, r) ->
                CompletableFuture.completedFuture(java.util.Arrays.equals(r, request) ? answer : new byte[0])));

        long start = System.nanoTime();
        byte[] response = get(a.request(b.localAddress(), request, TIMEOUT));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertArrayEquals(answer, response);
        System.out.println("2 MiB each way in " + millis + " ms");
    }

    @Test
    void concurrentRequestsFromSeveralNodesEachGetTheirOwnResponse() throws Exception {
        AeronTransport server = started(RecordingListener.echo());
        List<AeronTransport> clients = List.of(
                started(RecordingListener.echo()),
                started(RecordingListener.echo()),
                started(RecordingListener.echo()));
        Random random = new Random(7);
        List<byte[]> requests = new ArrayList<>();
        List<CompletableFuture<byte[]>> responses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            byte[] request = new byte[i % 3 == 0 ? 100_000 + i : 10 + i];
            random.nextBytes(request);
            requests.add(request);
            AeronTransport client = clients.get(i % clients.size());
            responses.add(
                    client.request(server.localAddress(), request, TIMEOUT).toCompletableFuture());
        }
        for (int i = 0; i < requests.size(); i++) {
            assertArrayEquals(requests.get(i), responses.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "#" + i);
        }
        assertEquals(30, server.stats().requestsReceived.sum());
    }

    @Test
    void aRequestToAnAddressWhereNobodyListensFailsWithinItsTimeout() throws Exception {
        AeronTransport a = started(RecordingListener.echo());
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Address nobody = new Address("127.0.0.1", silent.getLocalPort());
            Duration timeout = Duration.ofMillis(300);
            long start = System.nanoTime();
            CompletableFuture<byte[]> f =
                    a.request(nobody, new byte[50_000], timeout).toCompletableFuture();
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(elapsed >= 300 && elapsed < 2_000, "failed after " + elapsed + " ms");
            // The waiter may wake before the transport's own bookkeeping of the failure has run.
            Deadline.await(Duration.ofSeconds(2), () -> a.stats().requestsFailed.sum() == 1, "failure counted");
            Deadline.await(Duration.ofSeconds(2), () -> a.pendingRequests() == 0, "request forgotten");
        }
    }

    @Test
    void aListenerThatNeverAnswersMakesTheRequesterTimeOut() {
        AeronTransport a = started(RecordingListener.echo());
        AeronTransport b = started(new RecordingListener((from, r) -> new CompletableFuture<>()));
        CompletableFuture<byte[]> f = a.request(b.localAddress(), new byte[10], Duration.ofMillis(200))
                .toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals(1, b.stats().requestsReceived.sum());
    }

    @Test
    void requestsBeyondTheInboundLimitAreRefusedAtOnce() throws Exception {
        AeronTransport a = started(RecordingListener.echo());
        List<CompletableFuture<byte[]>> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        AeronTransport b = started(new RecordingListener((from, r) -> {
            CompletableFuture<byte[]> never = new CompletableFuture<>();
            held.add(never);
            return never;
        }));
        int limit = media.settings().maxInboundRequests();
        List<CompletableFuture<byte[]>> accepted = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            accepted.add(a.request(b.localAddress(), new byte[8], TIMEOUT).toCompletableFuture());
        }
        Deadline.await(
                Duration.ofSeconds(5),
                () -> b.stats().requestsReceived.sum() == limit,
                () -> "the first " + limit + " are served; got "
                        + b.stats().requestsReceived.sum());

        CompletableFuture<byte[]> extra =
                a.request(b.localAddress(), new byte[8], TIMEOUT).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> extra.get(5, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertEquals(1, b.aeronStats().requestsRefused.sum());

        // once the served requests are answered, the node takes new ones again
        held.forEach(f -> f.complete(new byte[] {1}));
        for (CompletableFuture<byte[]> f : accepted) {
            assertArrayEquals(new byte[] {1}, f.get(5, TimeUnit.SECONDS));
        }
        Deadline.await(Duration.ofSeconds(2), () -> a.pendingRequests() == 0, "requests forgotten by the requester");
    }

    @Test
    void requestsOverTheSizeLimitFailWithoutLeaving() {
        AeronTransport a = started(RecordingListener.echo());
        CompletableFuture<byte[]> f = a.request(
                        a.localAddress(), new byte[AeronTransport.MAX_STREAM_BYTES + 1], TIMEOUT)
                .toCompletableFuture();
        assertTrue(f.isCompletedExceptionally());
        assertEquals(0, a.stats().requestsSent.sum());
    }

    @Test
    void closingATransportFailsItsPendingRequests() {
        AeronTransport a = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
        a.start(RecordingListener.echo());
        AeronTransport b = started(new RecordingListener((from, r) -> new CompletableFuture<>()));
        CompletableFuture<byte[]> f =
                a.request(b.localAddress(), new byte[10], TIMEOUT).toCompletableFuture();
        a.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }
}
