package io.murmur.serf;

import io.murmur.protocol.Bytes;
import io.murmur.protocol.LamportClock;
import io.murmur.protocol.SerfMessage.EventBucket;
import io.murmur.protocol.SerfMessage.UserEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * User events: the event Lamport clock, the de-duplication ring ({@code eventBuffer} slots indexed by LTime), the
 * minimum time below which events are old news (after a restart, or a join that ignores old events), and the events
 * a push/pull carries so that members that missed gossip catch up.
 */
final class UserEvents {

    /** Why a user event could not be sent. */
    static final class TooLarge extends IllegalArgumentException {
        TooLarge(String message) {
            super(message);
        }
    }

    private final SerfConfig config;
    private final LamportClock clock = new LamportClock();
    private final EventBucket[] ring;
    private long minTime;
    private long duplicates;
    private long tooOld;

    UserEvents(SerfConfig config) {
        this.config = config;
        this.ring = new EventBucket[config.eventBuffer()];
    }

    LamportClock clock() {
        return clock;
    }

    /**
     * A new event from this node: checked against the size limit (name plus payload), stamped, and recorded here so
     * that our own gossip coming back is a duplicate. The caller delivers it locally and broadcasts it.
     *
     * @throws TooLarge when the name and payload exceed {@code user-event-size-limit}
     */
    UserEvent fire(String name, Bytes payload, boolean coalesce) {
        int size = name.getBytes(StandardCharsets.UTF_8).length + payload.size();
        if (size > config.userEventSizeLimit()) {
            throw new TooLarge("user event '" + name + "' is " + size
                    + " bytes (name plus payload), more than the limit of " + config.userEventSizeLimit());
        }
        UserEvent event = new UserEvent(clock.time(), name, payload, coalesce);
        clock.increment();
        receive(event);
        return event;
    }

    /** An event from the cluster: present when it is news (deliver it, gossip it on), empty for a duplicate. */
    Optional<UserEvent> receive(UserEvent event) {
        clock.witness(event.ltime());
        long ltime = event.ltime();
        if (ltime < minTime) {
            tooOld++;
            return Optional.empty();
        }
        long now = clock.time();
        if (now > ring.length && ltime < now - ring.length) {
            tooOld++;
            return Optional.empty();
        }
        int slot = (int) Long.remainderUnsigned(ltime, ring.length);
        EventBucket bucket = ring[slot];
        if (bucket != null && bucket.ltime() == ltime) {
            for (UserEvent seen : bucket.events()) {
                if (seen.name().equals(event.name()) && seen.payload().equals(event.payload())) {
                    duplicates++;
                    return Optional.empty();
                }
            }
            List<UserEvent> events = new ArrayList<>(bucket.events());
            events.add(event);
            ring[slot] = new EventBucket(ltime, events);
        } else if (bucket == null || bucket.ltime() < ltime) {
            ring[slot] = new EventBucket(ltime, List.of(event));
        } else {
            // The slot holds a newer time: this event is older than the ring reaches.
            tooOld++;
            return Optional.empty();
        }
        return Optional.of(event);
    }

    /** Events below {@code time} are ignored from now on (restored from a snapshot, or a join that skips history). */
    void ignoreBefore(long time) {
        minTime = Math.max(minTime, time);
    }

    long minTime() {
        return minTime;
    }

    /** The events in the ring, oldest first, for a push/pull. */
    List<EventBucket> recent() {
        List<EventBucket> out = new ArrayList<>();
        for (EventBucket b : ring) {
            if (b != null) {
                out.add(b);
            }
        }
        out.sort(java.util.Comparator.comparingLong(EventBucket::ltime));
        return out;
    }

    /**
     * Serf's push/pull merge of events: witness the remote clock; on a join that skips history only move the minimum
     * time past what the remote has seen; otherwise take in every event (news comes back, to be delivered).
     */
    List<UserEvent> merge(long remoteLTime, List<EventBucket> buckets, boolean ignoreOld) {
        if (remoteLTime > 0) {
            clock.witness(remoteLTime - 1);
        }
        if (ignoreOld) {
            ignoreBefore(remoteLTime);
            return List.of();
        }
        List<UserEvent> news = new ArrayList<>(0);
        for (EventBucket b : buckets) {
            for (UserEvent e : b.events()) {
                if (e.ltime() == b.ltime()) {
                    receive(e).ifPresent(news::add);
                }
            }
        }
        return news;
    }

    long duplicates() {
        return duplicates;
    }

    long tooOld() {
        return tooOld;
    }
}
