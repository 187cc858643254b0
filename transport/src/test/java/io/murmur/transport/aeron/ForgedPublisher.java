package io.murmur.transport.aeron;

import io.aeron.protocol.DataHeaderFlyweight;
import io.aeron.protocol.HeaderFlyweight;
import io.aeron.protocol.SetupFlyweight;
import io.murmur.protocol.Address;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A hostile peer speaking just enough Aeron over a plain {@link DatagramSocket} to get arbitrary bytes delivered to a
 * subscription: a SETUP frame to open an image, then DATA frames whose payload is whatever the test wants.
 */
final class ForgedPublisher implements AutoCloseable {

    private static final int TERM_LENGTH = 64 * 1024;
    private static final int INITIAL_TERM_ID = 7;

    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final int sessionId;
    private final int streamId;
    private int termOffset;

    ForgedPublisher(Address target, int sessionId, int streamId) throws IOException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.target = new InetSocketAddress(target.host(), target.port());
        this.sessionId = sessionId;
        this.streamId = streamId;
    }

    /** Sends raw bytes, Aeron or not. */
    void raw(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, target));
    }

    /**
     * Sends SETUP until the receiving driver answers with a status message, which it does once it has made an image
     * for this session.
     */
    void open(Duration max) throws IOException {
        byte[] setup = new byte[SetupFlyweight.HEADER_LENGTH];
        SetupFlyweight f = new SetupFlyweight(new UnsafeBuffer(setup));
        f.frameLength(SetupFlyweight.HEADER_LENGTH);
        f.version(HeaderFlyweight.CURRENT_VERSION);
        f.flags((short) 0);
        f.headerType(HeaderFlyweight.HDR_TYPE_SETUP);
        f.termOffset(0)
                .sessionId(sessionId)
                .streamId(streamId)
                .initialTermId(INITIAL_TERM_ID)
                .activeTermId(INITIAL_TERM_ID)
                .termLength(TERM_LENGTH)
                .mtuLength(1472)
                .ttl(0);
        socket.setSoTimeout(100);
        long deadline = System.nanoTime() + max.toNanos();
        byte[] in = new byte[2048];
        while (System.nanoTime() - deadline < 0) {
            raw(setup);
            try {
                DatagramPacket p = new DatagramPacket(in, in.length);
                socket.receive(p);
                int type = new UnsafeBuffer(in).getShort(HeaderFlyweight.TYPE_FIELD_OFFSET) & 0xFFFF;
                if (p.getLength() >= HeaderFlyweight.MIN_HEADER_LENGTH && type == HeaderFlyweight.HDR_TYPE_SM) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // no answer yet: send SETUP again
            }
        }
        throw new IOException("no status message from " + target);
    }

    /** Sends one unfragmented DATA frame carrying {@code payload}. */
    void data(byte[] payload) throws IOException {
        int length = DataHeaderFlyweight.HEADER_LENGTH + payload.length;
        byte[] frame = new byte[length];
        DataHeaderFlyweight f = new DataHeaderFlyweight(new UnsafeBuffer(frame));
        f.frameLength(length);
        f.version(HeaderFlyweight.CURRENT_VERSION);
        f.flags(DataHeaderFlyweight.BEGIN_AND_END_FLAGS);
        f.headerType(HeaderFlyweight.HDR_TYPE_DATA);
        f.termOffset(termOffset).sessionId(sessionId).streamId(streamId).termId(INITIAL_TERM_ID);
        System.arraycopy(payload, 0, frame, DataHeaderFlyweight.HEADER_LENGTH, payload.length);
        raw(frame);
        termOffset += (length + 31) & ~31;
    }

    @Override
    public void close() {
        socket.close();
    }
}
