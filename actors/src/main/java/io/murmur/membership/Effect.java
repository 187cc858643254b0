package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.PushPull;
import io.murmur.protocol.Message.Suspect;
import java.util.List;

/**
 * What a protocol core asks its surroundings to do. The actors carry effects out (a transport send, a timer, a tell
 * to a sibling); a simulator can carry out the same effects in virtual time.
 */
public sealed interface Effect {

    /** Send these messages to {@code to} in one packet, with broadcasts piggy-backed (carried out by the gossiper). */
    record Send(Address to, List<Message> messages) implements Effect {
        public Send {
            messages = List.copyOf(messages);
        }
    }

    /** Put an encoded packet on the wire. */
    record Transmit(Address to, byte[] packet) implements Effect {}

    /** A reliable-path push/pull exchange with {@code to}; the response goes back to the asking core with {@code tag}. */
    record Request(Address to, PushPull message, Object tag) implements Effect {}

    record StartTimer(TimerKey key, long delayNanos) implements Effect {}

    record CancelTimer(TimerKey key) implements Effect {}

    /**
     * Apply an alive, suspect or dead message to the local member table; {@code merged} when it comes from a push/pull
     * merge (its suspicions confirm nothing).
     */
    record Apply(Message update, boolean merged) implements Effect {
        public Apply(Message update) {
            this(update, false);
        }
    }

    /**
     * Queue a membership broadcast about {@code node}; it replaces any queued broadcast about the same node. When
     * {@code doneToken} is not null, a {@link BroadcastDone} follows once the broadcast has been fully transmitted or
     * replaced.
     */
    record Broadcast(String node, Message message, Object doneToken) implements Effect {}

    /** The broadcast queued with this token is done. */
    record BroadcastDone(Object token) implements Effect {}

    /** The member table changed; {@code before} is null for a new member, {@code after} null for a forgotten one. */
    record Changed(MemberView view, Member before, Member after) implements Effect {}

    /** Tell applications about a membership change. */
    record Emit(MemberEvent event) implements Effect {}

    /** Start a suspicion timer for {@code node} (Lifeguard: from {@code maxNanos} down to {@code minNanos}). */
    record StartSuspicion(
            String node, long incarnation, String from, int confirmationsNeeded, long minNanos, long maxNanos)
            implements Effect {}

    /** Another member suspects {@code node} too; re-gossip {@code message} if the confirmation is new. */
    record ConfirmSuspicion(String node, Suspect message) implements Effect {}

    record StopSuspicion(String node) implements Effect {}

    /**
     * A direct probe of {@code node} was answered after {@code rttNanos}, with the ack's {@code payload} (the serf
     * layer's network coordinates ride there).
     */
    record ProbeAcked(String node, long rttNanos, io.murmur.protocol.Bytes payload, int members) implements Effect {}

    /**
     * Another node claims {@code existing}'s name from another address (memberlist's {@code NotifyConflict}); the
     * claim was ignored.
     */
    record Conflict(Member existing, io.murmur.protocol.NodeInfo claimant) implements Effect {}

    /** Change the local health score (Lifeguard local health awareness). */
    record AdjustHealth(int delta) implements Effect {}
}
