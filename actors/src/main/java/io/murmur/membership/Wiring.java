package io.murmur.membership;

import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A node's actors refer to each other, so they are spawned first and introduced afterwards. Until an actor gets its
 * {@link Siblings}, whatever reaches it (packets can arrive at once) is stashed, then replayed in order.
 */
final class Wiring {
    private Wiring() {}

    static final int STASH_CAPACITY = 4096;

    /**
     * A behavior that waits for the message {@code extract} turns into {@link Siblings} (null for any other message),
     * then becomes {@code running(siblings)}.
     */
    static <T> Behavior<T> awaitSiblings(
            Class<T> type, Function<T, Siblings> extract, Function<Siblings, Behavior<T>> running) {
        return Behaviors.withStash(
                STASH_CAPACITY,
                stash -> Behaviors.receive(type)
                        .onAnyMessage(m -> {
                            Siblings siblings = extract.apply(m);
                            if (siblings != null) {
                                return stash.unstashAll(running.apply(siblings));
                            }
                            if (!stash.isFull()) {
                                stash.stash(m);
                            }
                            return Behaviors.same();
                        })
                        .build());
    }
}
