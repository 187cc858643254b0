package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.driver.status.PublisherLimit;
import io.murmur.protocol.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One driver per JVM, shared publications, idle closing, and reference counting. */
class MediaLifecycleTest {

    private static final Address ANY_LOOPBACK_PORT = new Address("127.0.0.1", 0);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @AfterEach
    void nothingLeftRunning() {
        assertFalse(AeronMedia.isRunning(), "every test releases the media it used");
    }

    @Test
    void theDriverCanRunOnThePollerThread() throws Exception {
        AeronSettings settings =
                AeronSettings.defaults().toBuilder().driverInPoller(true).build();
        try (AeronMedia media = AeronMedia.acquire(settings)) {
            assertFalse(
                    Thread.getAllStackTraces().keySet().stream()
                            .anyMatch(t -> t.getName().startsWith("murmur-aeron-driver")),
                    "no thread of the driver's own");
            RecordingListener atA = RecordingListener.echo();
            AeronTransport a = AeronTransport.bind(media, ANY_LOOPBACK_PORT); // waits for the driver: runs it itself
            a.start(atA);
            AeronTransport b = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
            b.start(new RecordingListener((from, request) -> java.util.concurrent.CompletableFuture.completedFuture(
                    PacketPathTest.bytes("re: " + PacketPathTest.text(request)))));
            try {
                for (int i = 0; i < 20; i++) {
                    assertTrue(b.send(a.localAddress(), PacketPathTest.bytes("p" + i)));
                }
                for (int i = 0; i < 20; i++) {
                    RecordingListener.Received r = atA.next(WAIT);
                    assertNotNull(r, "packet " + i + " never arrived");
                    assertEquals("p" + i, PacketPathTest.text(r.packet()));
                }
                byte[] response = a.request(b.localAddress(), PacketPathTest.bytes("state?"), WAIT)
                        .toCompletableFuture()
                        .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                assertEquals("re: state?", PacketPathTest.text(response));
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void severalTransportsShareOneDriverAndOnePublicationPerDestination() throws Exception {
        try (AeronMedia media = AeronMedia.acquire()) {
            RecordingListener atServer = RecordingListener.echo();
            AeronTransport server = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
            server.start(atServer);
            List<AeronTransport> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                AeronTransport c;
                try (AeronMedia another = AeronMedia.acquire()) {
                    c = AeronTransport.bind(another, ANY_LOOPBACK_PORT); // keeps its own reference
                }
                c.start(RecordingListener.echo());
                clients.add(c);
            }
            assertEquals(1 + 1 + 4, AeronMedia.users(), "this handle, the server and four clients");
            for (AeronTransport c : clients) {
                assertEquals(media.directory(), c.media().directory(), "one driver directory for all");
                c.send(server.localAddress(), new byte[] {1});
            }
            for (int i = 0; i < clients.size(); i++) {
                assertNotNull(atServer.next(WAIT));
            }

            assertEquals(1, media.openPublications(), "four senders, one destination, one publication");
            assertEquals(1, driverPublications(media), "the driver sees one publication too");
            assertEquals(1, server.packetSubscription().imageCount(), "and the receiver one image");

            for (AeronTransport c : clients) {
                server.send(c.localAddress(), new byte[] {2});
            }
            Deadline.await(
                    WAIT, () -> media.openPublications() == 5, () -> "publications: " + media.openPublications());
            clients.forEach(AeronTransport::close);
            server.close();
            assertEquals(1, AeronMedia.users());
        }
    }

    @Test
    void destinationsBeyondTheRouteLimitAreDroppedAndCounted() throws Exception {
        AeronSettings twoRoutes =
                AeronSettings.defaults().toBuilder().maxRoutes(2).build();
        try (AeronMedia media = AeronMedia.acquire(twoRoutes)) {
            AeronTransport a = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
            a.start(RecordingListener.echo());
            // Three destinations nobody listens on: two get a (held) route, the third is refused at once.
            assertTrue(a.send(new io.murmur.protocol.Address("127.0.0.1", 9), new byte[] {1}));
            assertTrue(a.send(new io.murmur.protocol.Address("127.0.0.1", 10), new byte[] {1}));
            assertFalse(a.send(new io.murmur.protocol.Address("127.0.0.1", 11), new byte[] {1}));
            assertEquals(1, a.aeronStats().routesRefused.sum());
            a.close();
        }
    }

    @Test
    void anIdlePublicationIsClosedAfterTheIdleTimeoutAndReopenedOnDemand() throws Exception {
        AeronSettings quickIdle = AeronSettings.defaults().toBuilder()
                .publicationIdleTimeout(Duration.ofMillis(200))
                .build();
        try (AeronMedia media = AeronMedia.acquire(quickIdle)) {
            RecordingListener atB = RecordingListener.echo();
            AeronTransport a = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
            AeronTransport b = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
            a.start(RecordingListener.echo());
            b.start(atB);

            a.send(b.localAddress(), new byte[] {1});
            assertNotNull(atB.next(WAIT));
            assertEquals(1, media.openPublications());

            Deadline.await(WAIT, () -> media.openPublications() == 0, "the idle publication closes");

            a.send(b.localAddress(), new byte[] {2});
            RecordingListener.Received again = atB.next(WAIT);
            assertNotNull(again, "a new publication is opened for the next packet");
            assertEquals(2, again.packet()[0]);
            a.close();
            b.close();
        }
    }

    @Test
    void theDriverStopsWhenTheLastUserReleasesIt() {
        AeronMedia first = AeronMedia.acquire();
        AeronMedia second = AeronMedia.acquire();
        Path directory = first.directory();
        assertTrue(Files.isDirectory(directory));
        AeronTransport t = AeronTransport.bind(first, ANY_LOOPBACK_PORT);
        assertEquals(3, AeronMedia.users());

        first.release();
        first.release(); // idempotent: releases once
        assertEquals(2, AeronMedia.users());
        second.close();
        assertTrue(AeronMedia.isRunning(), "the open transport still holds the media");
        assertTrue(Files.isDirectory(directory));

        t.close();
        t.close();
        assertFalse(AeronMedia.isRunning());
        assertEquals(0, AeronMedia.users());
        assertFalse(Files.exists(directory), "the driver deleted its directory");
        assertThrows(IllegalStateException.class, first::share);
    }

    @Test
    void theMediaRunsTwoDaemonThreadsThatEndWithIt() {
        Path directory;
        try (AeronMedia media = AeronMedia.acquire()) {
            directory = media.directory();
            List<Thread> threads = mediaThreads(directory);
            assertEquals(2, threads.size(), "driver (shared), poller (running the client conductor): " + threads);
            threads.forEach(t -> assertTrue(t.isDaemon(), t.getName() + " is a daemon"));
        }
        Deadline.await(WAIT, () -> mediaThreads(directory).isEmpty(), () -> "still alive: " + mediaThreads(directory));
    }

    private static List<Thread> mediaThreads(Path directory) {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive()
                    && (name.contains(directory.toString())
                            || name.equals("aeron-client")
                            || name.equals("murmur-aeron-poller"))) {
                found.add(t);
            }
        }
        return found;
    }

    @Test
    void aSecondMediaWithOtherSettingsIsRefusedWhileOneRuns() {
        try (AeronMedia media = AeronMedia.acquire()) {
            AeronSettings other = media.settings().toBuilder().holdMaxPackets(1).build();
            assertThrows(IllegalStateException.class, () -> AeronMedia.acquire(other));
            assertEquals(1, AeronMedia.users());
        }
    }

    @Test
    void bindingAnEndpointInUseFailsAndReleasesTheMedia() {
        try (AeronMedia media = AeronMedia.acquire()) {
            AeronTransport a = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
            assertThrows(java.io.UncheckedIOException.class, () -> AeronTransport.bind(media, a.localAddress()));
            assertEquals(2, AeronMedia.users());
            a.close();
        }
    }

    @Test
    void closingATransportFromItsOwnListenerIsSafe() throws Exception {
        try (AeronMedia media = AeronMedia.acquire()) {
            AeronTransport a = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
            AeronTransport[] b = new AeronTransport[1];
            java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
            b[0] = AeronTransport.bind(media, ANY_LOOPBACK_PORT);
            b[0].start(new io.murmur.transport.Transport.Listener() {
                @Override
                public void onPacket(Address from, byte[] packet) {
                    b[0].close();
                    closed.countDown();
                }

                @Override
                public java.util.concurrent.CompletionStage<byte[]> onRequest(Address from, byte[] request) {
                    return new java.util.concurrent.CompletableFuture<>();
                }
            });
            a.start(RecordingListener.echo());
            a.send(b[0].localAddress(), new byte[] {1});
            assertTrue(closed.await(5, java.util.concurrent.TimeUnit.SECONDS));
            Deadline.await(WAIT, () -> AeronMedia.users() == 2, () -> "users: " + AeronMedia.users());
            a.close();
        }
    }

    private static int driverPublications(AeronMedia media) {
        CountersReader counters = media.media().aeron.countersReader();
        int[] n = new int[1];
        counters.forEach((id, typeId, key, label) -> {
            if (typeId == PublisherLimit.PUBLISHER_LIMIT_TYPE_ID) {
                n[0]++;
            }
        });
        return n[0];
    }
}
