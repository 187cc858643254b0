package io.murmur.simulation;

import io.murmur.membership.Effect;
import io.murmur.membership.MemberEvent;

/** What a simulation reports as it runs; measurements implement the parts they need. */
interface Observer {

    /** {@code node}'s member table changed. */
    default void changed(SimNode node, Effect.Changed change) {}

    /** {@code node} published a member event. */
    default void event(SimNode node, MemberEvent event) {}

    /** {@code node} put {@code bytes} on the wire (a packet, or one side of a reliable exchange). */
    default void sent(SimNode node, int bytes, boolean reliable) {}
}
