package io.murmur.transport.aeron;

import io.aeron.ConcurrentPublication;
import io.aeron.Publication;
import io.murmur.protocol.Address;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The packet path to one destination. A packet goes straight into the publication from the sender's thread when the
 * publication is connected and nothing older waits; otherwise it is held (bounded in count and age) and the poller
 * sends it once the publication connects.
 */
final class PacketRoute extends Route {

    /** Immediate retries of an offer that found the publication back-pressured or in an admin action. */
    private static final int OFFER_ATTEMPTS = 3;

    /** What became of one {@link #send}. */
    enum Outcome {
        SENT,
        HELD,
        DROPPED,
        /** The route closed meanwhile; look the destination up again. */
        STALE
    }

    private final HeldPackets held;

    PacketRoute(Routes routes, Address destination, long nowNanos) {
        super(routes, destination, Channels.PACKET_STREAM_ID, nowNanos);
        this.held = new HeldPackets(
                routes.settings.holdMaxPackets(), routes.settings.holdMaxAge().toNanos());
    }

    /** Any thread: sends or holds one packet. */
    synchronized Outcome send(Sender sender, byte[] payload, long nowNanos) {
        if (closed) {
            return Outcome.STALE;
        }
        lastUsedNanos = nowNanos;
        if (inFailureBackoff(nowNanos)) {
            return dropped(sender);
        }
        if (publication != null && held.isEmpty()) {
            long result = offer(publication, sender, new UnsafeBuffer(payload), payload.length, OFFER_ATTEMPTS);
            if (result > 0) {
                sender.stats.sent(payload.length);
                return Outcome.SENT;
            }
            if (result != Publication.NOT_CONNECTED) {
                return dropped(sender); // back-pressured after retries, or the publication is gone
            }
        }
        if (!held.hold(new HeldPackets.Held(sender, payload.clone(), nowNanos))) {
            return dropped(sender);
        }
        sender.aeronStats.packetsHeld.increment();
        requestWork();
        return Outcome.HELD;
    }

    @Override
    int work(long nowNanos, MutableDirectBuffer scratch) {
        int work = advanceRegistration(nowNanos);
        if (publication != null) {
            HeldPackets.Held h;
            while ((h = held.peek()) != null) {
                long result = offer(publication, h.sender(), new UnsafeBuffer(h.payload()), h.payload().length, 1);
                if (result > 0) {
                    held.poll();
                    h.sender().stats.sent(h.payload().length);
                    work++;
                } else if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    close("publication closed");
                    return work + 1;
                } else {
                    break; // not connected yet, or back-pressured: try again next cycle, within the hold bound
                }
            }
        }
        work += held.expire(nowNanos, h -> {
            h.sender().stats.packetsDroppedOut.increment();
            h.sender().aeronStats.packetsExpiredInHold.increment();
        });
        return work;
    }

    @Override
    boolean hasQueued() {
        return !held.isEmpty();
    }

    @Override
    void dropQueued(String reason) {
        held.clear(h -> h.sender().stats.packetsDroppedOut.increment());
    }

    /** Packets now held. */
    synchronized int heldCount() {
        return held.size();
    }

    private static Outcome dropped(Sender sender) {
        sender.stats.packetsDroppedOut.increment();
        return Outcome.DROPPED;
    }

    private static long offer(
            ConcurrentPublication publication, Sender sender, UnsafeBuffer payload, int length, int attempts) {
        long result = Publication.NOT_CONNECTED;
        for (int i = 0; i < attempts; i++) {
            result = publication.offer(sender.packetPrefix, 0, sender.packetPrefix.capacity(), payload, 0, length);
            if (result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION) {
                return result;
            }
            sender.aeronStats.offerRetries.increment();
            Thread.onSpinWait();
        }
        return result;
    }
}
