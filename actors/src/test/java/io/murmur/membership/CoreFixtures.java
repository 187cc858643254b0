package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.murmur.protocol.Address;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;
import java.util.ArrayList;
import java.util.List;

/** Small builders and effect filters shared by the unit tests of the membership cores. */
final class CoreFixtures {

    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;

    private CoreFixtures() {}

    /** Every test node lives at {@code <name>.test:7946}. */
    static Address addressOf(String name) {
        return new Address(name + ".test", 7946);
    }

    static NodeInfo info(String name) {
        return new NodeInfo(name, addressOf(name));
    }

    static Member member(String name, long incarnation, NodeState state, long stateChangeNanos) {
        return new Member(info(name), incarnation, state, stateChangeNanos);
    }

    static Member alive(String name) {
        return member(name, 1, NodeState.ALIVE, 0);
    }

    /** The effects of type {@code type}, in order. */
    static <T extends Effect> List<T> only(List<Effect> effects, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Effect e : effects) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    /** The one effect of type {@code type}; fails unless there is exactly one. */
    static <T extends Effect> T single(List<Effect> effects, Class<T> type) {
        List<T> found = only(effects, type);
        assertEquals(1, found.size(), () -> "expected one " + type.getSimpleName() + " in " + effects);
        return found.get(0);
    }

    static boolean none(List<Effect> effects, Class<? extends Effect> type) {
        return only(effects, type).isEmpty();
    }

    /**
     * A member view as a core sees it through {@link Effect.Changed}: each change is passed to {@code follower} in
     * turn, so cores that follow the table (prober, gossiper, syncer) can be fed without a member table.
     */
    static final class ViewFeed {
        private final java.util.function.Consumer<Effect.Changed> follower;
        private MemberView view = MemberView.empty();

        ViewFeed(java.util.function.Consumer<Effect.Changed> follower) {
            this.follower = follower;
        }

        /** Adds or replaces a member. */
        ViewFeed put(Member m) {
            Member before = view.getOrNull(m.name());
            view = view.with(m);
            follower.accept(new Effect.Changed(view, before, m));
            return this;
        }

        /** Forgets a member, as the member table's purge does. */
        ViewFeed forget(String name) {
            Member before = view.getOrNull(name);
            view = view.without(name);
            follower.accept(new Effect.Changed(view, before, null));
            return this;
        }

        MemberView view() {
            return view;
        }
    }
}
