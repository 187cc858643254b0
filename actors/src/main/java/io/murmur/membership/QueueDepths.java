package io.murmur.membership;

/** Broadcasts waiting in a node's gossip queues: membership messages and user messages. */
public record QueueDepths(int membership, int user) {}
