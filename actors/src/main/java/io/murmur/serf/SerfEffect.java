package io.murmur.serf;

import io.murmur.protocol.Address;
import io.murmur.protocol.SerfMessage;

/** What a serf core asks its actor to do. */
sealed interface SerfEffect {

    /** Deliver an event to the application (through the coalescers). */
    record Emit(SerfEvent event) implements SerfEffect {}

    /** Gossip a message to the cluster. */
    record Broadcast(SerfMessage message) implements SerfEffect {}

    /** Send a message straight to one address. */
    record Send(Address to, SerfMessage message) implements SerfEffect {}

    /** Try to join the cluster through a failed member again (Serf's reconnect). */
    record Reconnect(String node, Address address) implements SerfEffect {}

    /**
     * Send {@code inner} to {@code to} by way of {@code copies} random other live members as well (a query response's
     * extra paths, Serf's relay factor).
     */
    record Relay(int copies, Address to, String toNode, SerfMessage inner) implements SerfEffect {}

    /** Tell the asker of a query ({@code caller}, the token it was started with) how it goes. */
    record Answer(Object caller, QueryReply reply) implements SerfEffect {}

    /** Call back after {@code delayNanos} with {@code key}. */
    record StartTimer(Object key, long delayNanos) implements SerfEffect {}
}
