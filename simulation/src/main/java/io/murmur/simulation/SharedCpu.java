package io.murmur.simulation;

import java.util.ArrayDeque;

/**
 * The cores of the one machine all simulated nodes run on, under a {@link CpuModel}: each node is an actor with a
 * mailbox that handles one piece of work at a time; a node with work waits in one first-come-first-served queue for a
 * free core, holds it for what the piece costs, and then, if more waits in its mailbox, queues again behind the others
 * (as a dispatcher hands actors to its threads). The transport, when the model charges for it, queues for a core the
 * same way with the work each arriving packet gives it. Deterministic: it runs in virtual time from the simulation's
 * events.
 */
final class SharedCpu {

    /** One piece of work in a runner's mailbox. */
    record Work(Runnable action, boolean packet, int bytes, long submittedAt) {}

    /** Something that runs one piece of work at a time on a core: a node, or the transport. */
    abstract static class Runner {
        final ArrayDeque<Work> mailbox = new ArrayDeque<>();
        boolean onCpu;

        /** Runs {@code w} on a core now; returns what it cost, given that its own cost is {@code cost}. */
        abstract long run(Work w, long cost);
    }

    /** Aeron's driver and the poller: they spend CPU on each packet that arrives, and no node waits for them. */
    private static final class Transport extends Runner {
        @Override
        long run(Work w, long cost) {
            return cost;
        }
    }

    private static final Runnable NOTHING = () -> {};

    private final Clock clock;
    final CpuModel model;
    private final ArrayDeque<Runner> ready = new ArrayDeque<>();
    private final Transport transport = new Transport();
    private int idleCores;
    private long busyNanos;
    private long waitedNanos;
    private long pieces;
    private long packets;
    private long transportPackets;

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

    /**
     * Puts {@code work} into {@code node}'s mailbox; it runs once the node's earlier work is done and a core is free. A
     * packet also gives the transport its share of work, if the model charges for it.
     */
    void submit(SimNode node, Runnable action, boolean packet, int bytes) {
        enqueue(node, new Work(action, packet, bytes, clock.now()));
        if (packet && model.chargesTransport()) {
            enqueue(transport, new Work(NOTHING, true, bytes, clock.now()));
        }
    }

    private void enqueue(Runner runner, Work w) {
        runner.mailbox.add(w);
        if (runner.onCpu) {
            return;
        }
        runner.onCpu = true;
        if (idleCores > 0) {
            idleCores--;
            runOn(runner);
        } else {
            ready.add(runner);
        }
    }

    /** A core runs the next piece of {@code runner}'s work, or, if there is none, the next ready runner's. */
    private void runOn(Runner runner) {
        while (runner != null) {
            Work w = runner.mailbox.poll();
            if (w == null) {
                runner.onCpu = false; // a node crashed meanwhile: its mailbox is gone
                runner = ready.poll();
                continue;
            }
            long cost = runner.run(w, costOf(runner, w));
            busyNanos += cost;
            waitedNanos += clock.now() - w.submittedAt();
            pieces++;
            Runner ran = runner;
            clock.after(cost, Event.of(() -> finished(ran)));
            return;
        }
        idleCores++;
    }

    private long costOf(Runner runner, Work w) {
        if (runner == transport) {
            return model.transport().of(w.bytes(), true, transportPackets++);
        }
        long before = packets;
        if (w.packet()) {
            packets++;
        }
        return model.work(w.bytes(), w.packet(), before);
    }

    private void finished(Runner runner) {
        if (runner.mailbox.isEmpty()) {
            runner.onCpu = false;
        } else {
            ready.add(runner);
        }
        runOn(ready.poll());
    }

    /** CPU time spent so far by all nodes and the transport. */
    long busyNanos() {
        return busyNanos;
    }

    /** Mean time a piece of work waited in its mailbox and for a core, in nanoseconds. */
    double meanWaitNanos() {
        return pieces == 0 ? 0 : (double) waitedNanos / pieces;
    }
}
