package io.murmur.simulation;

import java.util.ArrayDeque;

/**
 * The cores of the one machine all simulated nodes run on, under a {@link CpuModel}: each node is an actor with a
 * mailbox that handles one piece of work at a time; a node with work waits in one first-come-first-served queue for a
 * free core, holds it for what the piece costs, and then, if more waits in its mailbox, queues again behind the others
 * (as a dispatcher hands actors to its threads). Deterministic: it runs in virtual time from the simulation's events.
 */
final class SharedCpu {

    /** One piece of work in a node's mailbox. */
    record Work(Runnable action, boolean packet, int bytes, long submittedAt) {}

    private final Clock clock;
    final CpuModel model;
    private final ArrayDeque<SimNode> ready = new ArrayDeque<>();
    private int idleCores;
    private long busyNanos;
    private long waitedNanos;
    private long pieces;

    SharedCpu(Clock clock, CpuModel model) {
        this.clock = clock;
        this.model = model;
        this.idleCores = model.cores();
        if (model.coldStartNanos() > 0) {
            idleCores--;
            busyNanos += model.coldStartNanos();
            clock.after(model.coldStartNanos(), Event.of(() -> runOn(ready.poll())));
        }
    }

    /** Puts {@code work} into {@code node}'s mailbox; it runs once the node's earlier work is done and a core is free. */
    void submit(SimNode node, Runnable action, boolean packet, int bytes) {
        node.mailbox.add(new Work(action, packet, bytes, clock.now()));
        if (node.onCpu) {
            return;
        }
        node.onCpu = true;
        if (idleCores > 0) {
            idleCores--;
            runOn(node);
        } else {
            ready.add(node);
        }
    }

    /** A core runs the next piece of {@code node}'s work, or, if there is none, the next ready node's. */
    private void runOn(SimNode node) {
        while (node != null) {
            SharedCpu.Work w = node.mailbox.poll();
            if (w == null) {
                node.onCpu = false; // crashed meanwhile: its mailbox is gone
                node = ready.poll();
                continue;
            }
            long cost = node.runMetered(w, model.work(w.bytes()));
            busyNanos += cost;
            waitedNanos += clock.now() - w.submittedAt();
            pieces++;
            SimNode ran = node;
            clock.after(cost, Event.of(() -> finished(ran)));
            return;
        }
        idleCores++;
    }

    private void finished(SimNode node) {
        if (node.mailbox.isEmpty()) {
            node.onCpu = false;
        } else {
            ready.add(node);
        }
        runOn(ready.poll());
    }

    /** CPU time spent so far by all nodes. */
    long busyNanos() {
        return busyNanos;
    }

    /** Mean time a piece of work waited in its mailbox and for a core, in nanoseconds. */
    double meanWaitNanos() {
        return pieces == 0 ? 0 : (double) waitedNanos / pieces;
    }
}
