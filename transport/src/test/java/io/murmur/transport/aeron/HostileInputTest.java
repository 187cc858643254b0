package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.aeron.driver.status.SystemCounterDescriptor;
import io.murmur.protocol.Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bytes from a hostile or broken peer are counted drops; the poller and the transport carry on. */
class HostileInputTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private AeronMedia media;
    private AeronTransport victim;
    private AeronTransport friend;
    private RecordingListener atVictim;

    @BeforeEach
    void bind() {
        media = AeronMedia.acquire();
        atVictim = RecordingListener.echo();
        victim = AeronTransport.bind(media, new Address("127.0.0.1", 0));
        victim.start(atVictim);
        friend = AeronTransport.bind(media, new Address("127.0.0.1", 0));
        friend.start(RecordingListener.echo());
    }

    @AfterEach
    void release() {
        friend.close();
        victim.close();
        media.release();
        assertFalse(AeronMedia.isRunning());
    }

    private void victimStillWorks() throws Exception {
        friend.send(victim.localAddress(), "still alive".getBytes(StandardCharsets.UTF_8));
        RecordingListener.Received r = atVictim.next(WAIT);
        assertNotNull(r, "the victim no longer receives");
        assertEquals(friend.localAddress(), r.from());
        byte[] echoed = friend.request(victim.localAddress(), new byte[] {9}, WAIT)
                .toCompletableFuture()
                .get();
        assertEquals(9, echoed[0]);
    }

    @Test
    void garbageDatagramsAreDroppedByTheDriverAndTheTransportKeepsWorking() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("garbageDatagramsAreDroppedByTheDriverAndTheTransportKeepsWorking seed=" + seed);
        Random random = new Random(seed);
        long invalidBefore = invalidPackets();
        try (ForgedPublisher hostile = new ForgedPublisher(victim.localAddress(), 1, Channels.PACKET_STREAM_ID)) {
            for (int i = 0; i < 50; i++) {
                byte[] garbage = new byte[1 + random.nextInt(1500)];
                random.nextBytes(garbage);
                hostile.raw(garbage);
            }
        }
        Deadline.await(WAIT, () -> invalidPackets() > invalidBefore, "the driver counts invalid packets");
        victimStillWorks();
        assertEquals(1, victim.stats().packetsReceived.sum(), "only the friendly packet");
    }

    @Test
    void aWellFramedDatagramWithAMalformedEnvelopeIsCountedAsDroppedIn() throws Exception {
        try (ForgedPublisher hostile = new ForgedPublisher(victim.localAddress(), 77, Channels.PACKET_STREAM_ID)) {
            hostile.open(WAIT);
            hostile.data("definitely not an envelope".getBytes(StandardCharsets.UTF_8));
            hostile.data(new byte[] {Envelope.VERSION, 1, 3, 'a', '|', 'b', 0, 1}); // a host that would inject
            hostile.data(new byte[] {Envelope.VERSION, 9, 1, 'a', 0, 1}); // unknown kind
            hostile.data(new byte[] {Envelope.VERSION, 1, (byte) 200, 'a'}); // host longer than the frame
            hostile.data(new byte[] {Envelope.VERSION, 2, 1, 'a', 0, 1}); // a chunk on the packet stream
            Deadline.await(
                    WAIT,
                    () -> victim.stats().packetsDroppedIn.sum() == 5,
                    () -> "dropped in: " + victim.stats().packetsDroppedIn.sum());
        }
        victimStillWorks();
    }

    @Test
    void malformedAndOversizedChunksOnTheReliableStreamAreDropped() throws Exception {
        try (ForgedPublisher hostile = new ForgedPublisher(victim.localAddress(), 78, Channels.RELIABLE_STREAM_ID)) {
            hostile.open(WAIT);
            byte[] prefix = Envelope.prefix(Envelope.Kind.REQUEST, new Address("10.0.0.1", 7946));
            hostile.data(prefix); // chunk fields missing
            hostile.data(chunk(prefix, 1, Integer.MAX_VALUE, 0, 10)); // announces more than the maximum
            hostile.data(chunk(prefix, 2, 100, 95, 10)); // chunk past its message's end
            Deadline.await(
                    WAIT,
                    () -> victim.stats().packetsDroppedIn.sum() == 3,
                    () -> "dropped in: " + victim.stats().packetsDroppedIn.sum());
            // A partial message that is never finished stays within the budget and is discarded later.
            hostile.data(chunk(prefix, 3, 10_000, 0, 100));
        }
        victimStillWorks();
        assertEquals(1, victim.stats().requestsReceived.sum(), "only the friendly request");
    }

    private static byte[] chunk(byte[] prefix, long id, int total, int offset, int length) {
        byte[] frame = new byte[prefix.length + Envelope.CHUNK_FIELDS_LENGTH + length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        Envelope.putChunkFields(new org.agrona.concurrent.UnsafeBuffer(frame), prefix.length, id, total, offset);
        return frame;
    }

    private long invalidPackets() {
        return media.media().aeron.countersReader().getCounterValue(SystemCounterDescriptor.INVALID_PACKETS.id());
    }
}
