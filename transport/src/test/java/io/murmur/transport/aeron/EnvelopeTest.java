package io.murmur.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.murmur.protocol.Address;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static final int MAX = AeronTransport.MAX_STREAM_BYTES;

    @Test
    void aPacketNamesItsSenderAndKeepsItsPayload() {
        Address from = new Address("10.1.2.3", 7946);
        byte[] prefix = Envelope.prefix(Envelope.Kind.PACKET, from);
        byte[] frame = new byte[prefix.length + 3];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        frame[prefix.length] = 7;
        frame[prefix.length + 2] = 9;

        Envelope.Packet p =
                assertInstanceOf(Envelope.Packet.class, Envelope.decode(new UnsafeBuffer(frame), 0, frame.length, MAX));

        assertEquals(from, p.from());
        assertEquals(prefix.length, p.offset());
        assertEquals(3, p.length());
        assertEquals(3 + 8 + 2, prefix.length, "a short envelope for an IPv4 sender");
    }

    @Test
    void aChunkCarriesItsCorrelationIdAndPlace() {
        Address from = new Address("fe80::1%eth0", 65535);
        byte[] prefix = Envelope.prefix(Envelope.Kind.RESPONSE, from);
        UnsafeBuffer frame = new UnsafeBuffer(new byte[prefix.length + Envelope.CHUNK_FIELDS_LENGTH + 5]);
        frame.putBytes(0, prefix);
        Envelope.putChunkFields(frame, prefix.length, -42L, 1000, 995);

        Envelope.Chunk c = assertInstanceOf(Envelope.Chunk.class, Envelope.decode(frame, 0, frame.capacity(), MAX));

        assertEquals(Envelope.Kind.RESPONSE, c.kind());
        assertEquals(from, c.from());
        assertEquals(-42L, c.correlationId());
        assertEquals(1000, c.total());
        assertEquals(995, c.chunkOffset());
        assertEquals(5, c.length());
    }

    @Test
    void aSenderHostThatWouldChangeAChannelUriIsRejected() {
        for (String host : new String[] {"1.2.3.4|interface=9.9.9.9", "a?b", "x=y", "sp ace", "é"}) {
            byte[] prefix = Envelope.prefix(Envelope.Kind.PACKET, new Address(host, 1));
            assertInstanceOf(
                    Envelope.Rejected.class, Envelope.decode(new UnsafeBuffer(prefix), 0, prefix.length, MAX), host);
        }
    }

    @Test
    void truncatedAndInconsistentFramesAreRejected() {
        byte[] prefix = Envelope.prefix(Envelope.Kind.REQUEST, new Address("h", 1));
        UnsafeBuffer frame = new UnsafeBuffer(new byte[prefix.length + Envelope.CHUNK_FIELDS_LENGTH + 10]);
        frame.putBytes(0, prefix);
        for (int length = 0; length < prefix.length + Envelope.CHUNK_FIELDS_LENGTH; length++) {
            assertInstanceOf(Envelope.Rejected.class, Envelope.decode(frame, 0, length, MAX), "length " + length);
        }
        Envelope.putChunkFields(frame, prefix.length, 1, -1, 0);
        assertInstanceOf(Envelope.Rejected.class, Envelope.decode(frame, 0, frame.capacity(), MAX));
        Envelope.putChunkFields(frame, prefix.length, 1, MAX + 1, 0);
        assertInstanceOf(Envelope.Rejected.class, Envelope.decode(frame, 0, frame.capacity(), MAX));
        Envelope.putChunkFields(frame, prefix.length, 1, 100, 91);
        assertInstanceOf(Envelope.Rejected.class, Envelope.decode(frame, 0, frame.capacity(), MAX));
        Envelope.putChunkFields(frame, prefix.length, 1, 100, -1);
        assertInstanceOf(Envelope.Rejected.class, Envelope.decode(frame, 0, frame.capacity(), MAX));
    }

    @Test
    void randomBytesNeverThrow() {
        long seed = new Random().nextLong();
        System.out.println("randomBytesNeverThrow seed=" + seed);
        Random random = new Random(seed);
        byte[] valid = Envelope.prefix(Envelope.Kind.REQUEST, new Address("127.0.0.1", 7946));
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length > 2) {
                // keep a plausible start so decoding gets past the first checks
                System.arraycopy(valid, 0, bytes, 0, Math.min(random.nextInt(valid.length), bytes.length));
            }
            assertNotNull(Envelope.decode(new UnsafeBuffer(bytes), 0, bytes.length, MAX));
        }
    }

    @Test
    void decodingRespectsTheOffsetIntoTheBuffer() {
        byte[] prefix = Envelope.prefix(Envelope.Kind.PACKET, new Address("127.0.0.1", 80));
        byte[] buffer = new byte[32 + prefix.length + 2];
        System.arraycopy(prefix, 0, buffer, 32, prefix.length);
        Envelope.Packet p = assertInstanceOf(
                Envelope.Packet.class, Envelope.decode(new UnsafeBuffer(buffer), 32, prefix.length + 2, MAX));
        assertEquals(32 + prefix.length, p.offset());
        assertEquals(2, p.length());
    }
}
