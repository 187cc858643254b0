package io.murmur.simulation;

import io.murmur.membership.Effect;
import io.murmur.membership.Member;
import io.murmur.membership.MemberEvent;
import io.murmur.protocol.NodeState;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * What a scenario's convergence curve follows: for each node that should learn of some change, the first moment it
 * has. Tracks are observers; they start counting at {@link #from}.
 */
public abstract class Track implements Observer {

    private long[] reachedAt = new long[0];
    private long from;
    private IntPredicate counts = i -> true;
    private int total;
    private boolean armed;

    /** Starts counting at virtual time {@code from}, for the nodes {@code counts} accepts, {@code total} of them. */
    void arm(long from, int nodes, IntPredicate counts) {
        this.from = from;
        this.counts = counts;
        this.reachedAt = new long[nodes];
        Arrays.fill(reachedAt, -1);
        this.total =
                (int) java.util.stream.IntStream.range(0, nodes).filter(counts).count();
        this.armed = true;
    }

    long from() {
        return from;
    }

    /** Marks {@code node} as having learned of the change now (only the first time counts). */
    final void reached(SimNode node) {
        if (armed
                && node.index < reachedAt.length
                && reachedAt[node.index] < 0
                && counts.test(node.index)
                && node.sim.now() >= from) {
            reachedAt[node.index] = node.sim.now() - from;
        }
    }

    final boolean hasReached(int node) {
        return node < reachedAt.length && reachedAt[node] >= 0;
    }

    Curve curve() {
        return new Curve(Arrays.stream(reachedAt).filter(t -> t >= 0).toArray(), total);
    }

    /** Every counted node sees {@code n} members alive. */
    static Track allAlive(int n) {
        return new Track() {
            @Override
            public void changed(SimNode node, Effect.Changed change) {
                if (change.view().aliveCount() == n) {
                    reached(node);
                }
            }
        };
    }

    /** Every counted node has declared node {@code victim} failed (or already forgotten it). */
    static Track failureOf(int victim) {
        String name = Simulation.nameOf(victim);
        return new Track() {
            @Override
            public void event(SimNode node, MemberEvent event) {
                if (event.type() == MemberEvent.Type.FAILED
                        && event.member().name().equals(name)) {
                    reached(node);
                }
            }
        };
    }

    /** Every counted node has node {@code subject} alive at an incarnation of at least {@code incarnation}. */
    static Track incarnationOf(int subject, long incarnation) {
        String name = Simulation.nameOf(subject);
        return new Track() {
            @Override
            public void changed(SimNode node, Effect.Changed change) {
                Member m = change.after();
                if (m != null
                        && m.name().equals(name)
                        && m.state() == NodeState.ALIVE
                        && m.incarnation() >= incarnation) {
                    reached(node);
                }
            }
        };
    }
}
