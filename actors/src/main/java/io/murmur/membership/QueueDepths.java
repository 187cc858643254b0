package io.murmur.membership;

import java.util.Map;

/**
 * Broadcasts waiting in a node's gossip queues: membership messages and user messages, and the user messages by the
 * kind the application labelled them with ({@link Node.Broadcast#kind()}; unlabelled ones are counted in
 * {@code user} only).
 */
public record QueueDepths(int membership, int user, Map<String, Integer> userByKind) {

    public QueueDepths {
        userByKind = Map.copyOf(userByKind);
    }

    public QueueDepths(int membership, int user) {
        this(membership, user, Map.of());
    }

    /** User broadcasts of {@code kind} waiting; 0 when none. */
    public int user(String kind) {
        return userByKind.getOrDefault(kind, 0);
    }
}
