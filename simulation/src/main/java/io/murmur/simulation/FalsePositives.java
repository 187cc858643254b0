package io.murmur.simulation;

import io.murmur.membership.MemberEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Healthy members declared failed: FAILED events about a member the scenario never harmed, and how long each
 * observer then believed it, until it saw the member join again (or the run ended). Counted in Lifeguard's classes:
 * by healthy observers (both parties healthy, the figure that matters: a sick node's own misjudgements are its
 * trouble) and by any observer.
 */
final class FalsePositives implements Observer {

    private final IntPredicate healthy;
    private final Map<Long, Long> openSince = new HashMap<>();
    private long count;
    private long byAnyObserver;
    private long closedNanos;
    private long aboutUnhealthy;

    /** @param healthy whether node {@code i} is one the scenario leaves alone */
    FalsePositives(IntPredicate healthy) {
        this.healthy = healthy;
    }

    @Override
    public void event(SimNode node, MemberEvent event) {
        int subject = indexOf(event.member().name());
        if (subject < 0) {
            return;
        }
        long key = (long) node.index << 32 | subject;
        if (event.type() == MemberEvent.Type.FAILED) {
            if (healthy.test(subject)) {
                byAnyObserver++;
                if (healthy.test(node.index)) {
                    count++;
                    openSince.putIfAbsent(key, node.sim.now());
                }
            } else {
                aboutUnhealthy++;
            }
        } else if (event.type() == MemberEvent.Type.JOIN) {
            Long since = openSince.remove(key);
            if (since != null) {
                closedNanos += node.sim.now() - since;
            }
        }
    }

    /** Healthy members declared failed by healthy members. */
    long count() {
        return count;
    }

    /** Healthy members declared failed by anyone, harmed observers included. */
    long byAnyObserver() {
        return byAnyObserver;
    }

    /** Failures declared about members the scenario did harm (crashed, paused, starved, cut off). */
    long aboutUnhealthy() {
        return aboutUnhealthy;
    }

    /** Total seconds healthy observers believed healthy members dead, the still-open ones counted up to {@code now}. */
    double seconds(long now) {
        long open = 0;
        for (long since : openSince.values()) {
            open += now - since;
        }
        return (closedNanos + open) / 1e9;
    }

    static int indexOf(String name) {
        if (name.length() < 2 || name.charAt(0) != 'n') {
            return -1;
        }
        try {
            return Integer.parseInt(name, 1, name.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
