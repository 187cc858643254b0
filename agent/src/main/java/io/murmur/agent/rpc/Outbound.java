package io.murmur.agent.rpc;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A session's writer: one thread drains a bounded queue of encoded frames to the socket, so neither the node's actors
 * nor the session's reader ever wait on a slow client. Replies wait for room; stream records (events, query records,
 * log lines) are dropped while {@link #RECORD_BACKLOG} frames are already waiting, as Serf drops past its 512-entry
 * buffers.
 */
final class Outbound {

    static final int RECORD_BACKLOG = 512;

    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(2 * RECORD_BACKLOG);
    private final Socket socket;
    private final Thread writer;
    private volatile boolean ended;

    Outbound(Socket socket, String name) {
        this.socket = socket;
        this.writer = new Thread(this::drain, name);
        writer.setDaemon(true);
    }

    void start() {
        writer.start();
    }

    /** A reply: waits for room (the reader thread of this session is the only one that waits). */
    void reply(byte[] frame) {
        if (ended) {
            return;
        }
        try {
            queue.put(frame);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stream record; false when it was dropped (backlog full or session over). Never blocks. */
    boolean record(byte[] frame) {
        return !ended && queue.size() < RECORD_BACKLOG && queue.offer(frame);
    }

    /** Whether the session is over: records offered now are dropped because of that, not because the client lags. */
    boolean ended() {
        return ended;
    }

    /** A record the client must not miss (a query's {@code done}): past the backlog, dropped only when full. */
    boolean urgent(byte[] frame) {
        return !ended && queue.offer(frame);
    }

    /** Writes what is queued, then closes the socket; closes it at once when the client reads nothing for 5 s. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            if (!queue.offer(END, 5, TimeUnit.SECONDS)) {
                closeSocket();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeSocket();
        }
    }

    /** Waits (at most {@code millis}) until what was queued before {@link #end} is written. */
    void awaitWritten(long millis) {
        try {
            writer.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void drain() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024)) {
            while (true) {
                byte[] frame = queue.take();
                if (frame == END) {
                    break;
                }
                out.write(frame);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException | InterruptedException e) {
            ended = true; // the client went away; the reader sees the closed socket
        } finally {
            closeSocket();
        }
    }
}
