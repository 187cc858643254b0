package io.murmur.simulation;

import io.murmur.membership.Effect;
import io.murmur.membership.Gossiper;
import io.murmur.membership.MemberTable;
import io.murmur.membership.MemberView;
import io.murmur.membership.NodeCores;
import io.murmur.membership.NodeSettings;
import io.murmur.membership.Prober;
import io.murmur.membership.Suspicion;
import io.murmur.membership.Syncer;
import io.murmur.membership.TimerKey;
import io.murmur.protocol.Address;
import io.murmur.protocol.Decoded;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Compound;
import io.murmur.protocol.Message.PushPull;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One simulated node: the same protocol cores the actors run ({@link NodeCores}), with their effects carried out
 * in virtual time instead of by actors, plus the node's faults:
 *
 * <ul>
 *   <li>crashed: nothing runs, nothing arrives;
 *   <li>paused (a stop-the-world pause, a descheduled process): nothing runs until the resume; then the timers that
 *       came due run first, as a process that wakes finds its timeouts overdue before it reads its socket, and only
 *       then the packets that waited in the socket buffer (up to {@link #SOCKET_BUFFER_PACKETS});
 *   <li>slow (a starved CPU): every arriving packet takes a while to handle and queues behind the ones before it,
 *       while timers still fire on time.
 * </ul>
 */
final class SimNode extends SharedCpu.Runner {

    /** Packets a paused node's socket buffer holds; more are lost. */
    static final int SOCKET_BUFFER_PACKETS = 1024;

    /** The timer of one suspicion (the actors run it in a child actor). */
    private record SuspicionTimer(String node) implements TimerKey {}

    private record ActiveSuspicion(Suspicion core, Effect.StartSuspicion start) {}

    private static final int TRACE_TIMER = 1;
    private static final int TRACE_PACKET = 2;

    final Simulation sim;
    final int index;
    final NodeSettings settings;
    NodeCores cores;
    private final Map<TimerKey, Event> timers = new HashMap<>();
    private final Map<String, ActiveSuspicion> suspicions = new HashMap<>();
    private final ArrayDeque<Runnable> deferredTimers = new ArrayDeque<>();
    private final ArrayDeque<Runnable> deferredPackets = new ArrayDeque<>();
    private boolean crashed;
    private long pausedUntil = Long.MIN_VALUE;
    private long slowNanos;
    private long busyUntil;
    long packetsSent;
    long bytesSent;
    long packetsDroppedWhilePaused;
    /** Under a {@link CpuModel}: the CPU time the piece this node runs has cost so far (-1 when it runs none). */
    private long meter = -1;

    SimNode(Simulation sim, int index, NodeSettings settings) {
        this.sim = sim;
        this.index = index;
        this.settings = settings;
    }

    String name() {
        return settings.name();
    }

    Address address() {
        return settings.self().address();
    }

    boolean isCrashed() {
        return crashed;
    }

    boolean isPaused() {
        return sim.now() < pausedUntil;
    }

    MemberView view() {
        return cores.table.view();
    }

    /** Starts fresh cores: alone ({@code cluster} null) or inside a known cluster. */
    void boot(MemberView cluster) {
        long now = sim.now();
        cores = cluster == null
                ? NodeCores.start(settings, sim.codec, now)
                : NodeCores.startIn(settings, sim.codec, cluster, now);
        crashed = false;
        run(cores.startEffects());
        run(cores.prober.start(now));
        run(cores.gossiper.start(now));
        run(cores.syncer.start(now));
    }

    /** Stops at once, without a word: timers, queued work and the node's state are gone. */
    void crash() {
        crashed = true;
        timers.values().forEach(Event::cancel);
        timers.clear();
        suspicions.clear();
        deferredTimers.clear();
        deferredPackets.clear();
        mailbox.clear();
        pausedUntil = Long.MIN_VALUE;
    }

    /** Stops the world for {@code nanos}: what comes due meanwhile runs at the resume, in order. */
    void pause(long nanos) {
        if (crashed) {
            return;
        }
        long until = sim.now() + nanos;
        if (until <= pausedUntil) {
            return;
        }
        pausedUntil = until;
        sim.clock.at(until, Event.of(this::resume));
    }

    private void resume() {
        if (crashed || sim.now() < pausedUntil) {
            return;
        }
        Runnable work;
        while ((work = deferredTimers.poll()) != null && !crashed && !isPaused()) {
            work.run();
        }
        while ((work = deferredPackets.poll()) != null && !crashed && !isPaused()) {
            deliver(work, true);
        }
    }

    /** Every packet this node handles takes {@code nanos} from now on (0: none); later ones wait for it. */
    void slow(long nanos) {
        this.slowNanos = nanos;
    }

    /**
     * Runs {@code work} on this node now, or once it can: never when crashed; at the resume when paused (a packet only
     * while the socket buffer has room); a packet on a slow node after the packets before it.
     */
    void deliver(Runnable work, boolean packet) {
        deliver(work, packet, 0);
    }

    /**
     * As {@link #deliver(Runnable, boolean)}, for work that receives {@code bytes}: under a {@link CpuModel} it waits
     * in this node's mailbox and for a core, and costs CPU time.
     */
    void deliver(Runnable work, boolean packet, int bytes) {
        if (crashed) {
            return;
        }
        long now = sim.now();
        if (now < pausedUntil) {
            if (!packet) {
                deferredTimers.add(work);
            } else if (deferredPackets.size() < SOCKET_BUFFER_PACKETS) {
                deferredPackets.add(work);
            } else {
                packetsDroppedWhilePaused++;
            }
            return;
        }
        if (sim.cpu != null) {
            sim.cpu.submit(this, work, packet, bytes);
            return;
        }
        if (packet && slowNanos > 0) {
            long start = Math.max(now, busyUntil);
            busyUntil = start + slowNanos;
            sim.clock.at(busyUntil, Event.of(() -> {
                if (!crashed) {
                    if (isPaused()) {
                        deliver(work, true);
                    } else {
                        work.run();
                    }
                }
            }));
            return;
        }
        work.run();
    }

    /**
     * Runs a piece of work from the mailbox on a core, now; returns what it cost: {@code cost}, a slow node's extra
     * time for a packet, and what it sent. A node paused meanwhile gets the work back at its resume, at no cost.
     */
    @Override
    long run(SharedCpu.Work w, long cost) {
        if (crashed) {
            return 0;
        }
        if (isPaused()) {
            deliver(w.action(), w.packet(), w.bytes());
            return 0;
        }
        meter = cost + (w.packet() ? slowNanos : 0);
        w.action().run();
        long spent = meter;
        meter = -1;
        return spent;
    }

    /**
     * Charges {@code nanos} of sending to the work running now; returns how long after now what it sends leaves (the
     * CPU time the work has spent up to that send), 0 when no CPU is modelled.
     */
    long chargeSend(long nanos) {
        if (meter < 0) {
            return 0;
        }
        meter += nanos;
        return meter;
    }

    // --- inputs

    void onPacket(Address from, byte[] packet) {
        sim.trace.add(sim.now(), index, TRACE_PACKET, java.util.Arrays.hashCode(packet));
        Decoded decoded = sim.codec.decodePacket(packet);
        if (!(decoded instanceof Decoded.Ok ok)) {
            sim.inputRejected++;
            return;
        }
        if (ok.message() instanceof Compound c) {
            for (Message part : c.parts()) {
                route(from, part);
            }
        } else {
            route(from, ok.message());
        }
    }

    private void route(Address from, Message m) {
        long now = sim.now();
        switch (io.murmur.membership.Concern.of(m)) {
            case PROBE -> {
                if (m instanceof Message.Ping p) {
                    run(cores.prober.onPing(p));
                } else if (m instanceof Message.IndirectPing r) {
                    run(cores.prober.onIndirectPing(r));
                } else if (m instanceof Message.Ack a) {
                    run(cores.prober.onAck(a, now));
                } else if (m instanceof Message.Nack n) {
                    run(cores.prober.onNack(n, from));
                }
            }
            case MEMBERSHIP -> run(cores.table.apply(m, now));
            case USER -> sim.userMessages++;
            case NONE -> sim.inputRejected++;
        }
    }

    void onTimer(TimerKey key) {
        long now = sim.now();
        if (key instanceof SuspicionTimer t) {
            ActiveSuspicion s = suspicions.remove(t.node());
            if (s != null) {
                run(cores.table.suspicionExpired(t.node(), s.start().incarnation(), now));
            }
        } else if (key instanceof Prober.Timer) {
            run(cores.prober.onTimer(key, now));
        } else if (key == Gossiper.GossipTick.INSTANCE) {
            run(cores.gossiper.onTimer(key, now));
        } else if (key instanceof Syncer.Timer) {
            run(cores.syncer.onTimer(key, now));
        } else if (key == MemberTable.PurgeTimer.INSTANCE) {
            run(cores.table.onTimer(key, now));
        } else {
            throw new IllegalStateException("no core owns timer " + key);
        }
    }

    /** A reliable-path exchange this node started came back. */
    void exchangeDone(Effect.Request request, PushPull response) {
        run(cores.syncer.onResponse(request.to(), response));
        if (request.tag() instanceof Simulation.JoinAttempt join) {
            join.answered(this, request.to());
        }
    }

    void exchangeFailed(Effect.Request request) {
        if (request.tag() instanceof Simulation.JoinAttempt join) {
            long remaining = join.startedAt + cores.syncer.joinDeadlineNanos() - sim.now();
            long delay = cores.syncer.joinRetryDelay(join.failed(request.to()), remaining);
            if (delay >= 0) {
                sim.clock.after(
                        sim.timerTicks.delay(sim.now(), delay),
                        Event.of(() -> deliver(
                                () -> sim.request(
                                        this, new Effect.Request(request.to(), cores.syncer.localState(true), join)),
                                false)));
            } else {
                join.gaveUp(request.to());
            }
        }
    }

    // --- effects, carried out as the actors carry them out

    void run(List<Effect> effects) {
        for (int i = 0; i < effects.size(); i++) {
            run(effects.get(i));
        }
    }

    private void run(Effect e) {
        long now = sim.now();
        if (e instanceof Effect.Send s) {
            run(cores.gossiper.send(s));
        } else if (e instanceof Effect.Transmit t) {
            sim.transmit(this, t.to(), t.packet());
        } else if (e instanceof Effect.Request r) {
            sim.request(this, r);
        } else if (e instanceof Effect.StartTimer t) {
            startTimer(t.key(), t.delayNanos());
        } else if (e instanceof Effect.CancelTimer t) {
            Event old = timers.remove(t.key());
            if (old != null) {
                old.cancel();
            }
        } else if (e instanceof Effect.Apply a) {
            run(cores.table.apply(a.update(), now, a.merged()));
        } else if (e instanceof Effect.Broadcast b) {
            run(cores.gossiper.queue(b, now));
        } else if (e instanceof Effect.BroadcastDone d) {
            sim.broadcastDone(this, d.token());
        } else if (e instanceof Effect.Changed c) {
            cores.prober.onChange(c);
            cores.gossiper.onChange(c);
            run(cores.syncer.onChange(c));
            sim.observer.changed(this, c);
        } else if (e instanceof Effect.Emit em) {
            sim.observer.event(this, em.event());
        } else if (e instanceof Effect.StartSuspicion s) {
            ActiveSuspicion a = new ActiveSuspicion(
                    new Suspicion(s.from(), s.confirmationsNeeded(), s.minNanos(), s.maxNanos(), now), s);
            suspicions.put(s.node(), a);
            startTimer(new SuspicionTimer(s.node()), a.core().remaining(now));
        } else if (e instanceof Effect.ConfirmSuspicion c) {
            ActiveSuspicion a = suspicions.get(c.node());
            if (a != null) {
                OptionalLong remaining = a.core().confirm(c.message().from(), now);
                if (remaining.isPresent()) {
                    run(cores.table.confirmationCounted(c.message()));
                    startTimer(new SuspicionTimer(c.node()), remaining.getAsLong());
                }
            }
        } else if (e instanceof Effect.StopSuspicion s) {
            if (suspicions.remove(s.node()) != null) {
                Event old = timers.remove(new SuspicionTimer(s.node()));
                if (old != null) {
                    old.cancel();
                }
            }
        } else if (e instanceof Effect.ProbeAcked a) {
            run(cores.syncer.onProbeAcked(a.node(), a.members(), now));
        } else if (e instanceof Effect.Conflict) {
            // Nothing above membership runs in the simulator yet.
        } else if (e instanceof Effect.AdjustHealth h) {
            cores.prober.adjustHealth(h.delta());
        } else {
            throw new IllegalStateException("the simulator cannot carry out " + e);
        }
    }

    private void startTimer(TimerKey key, long delayNanos) {
        Event old = timers.get(key);
        if (old != null) {
            old.cancel();
        }
        Event timer = new Event() {
            @Override
            void fire() {
                if (timers.get(key) == this) {
                    timers.remove(key);
                    sim.trace.add(time, index, TRACE_TIMER, keyCode(key));
                    deliver(() -> onTimer(key), false);
                }
            }
        };
        timers.put(key, timer);
        sim.clock.after(sim.timerTicks.delay(sim.now(), delayNanos), timer);
    }

    /** A code for a timer key that is the same in every run (an enum's identity hash code is not). */
    private static long keyCode(TimerKey key) {
        if (key instanceof Enum<?> e) {
            return e.getDeclaringClass().getName().hashCode() * 31L + e.ordinal();
        }
        return key.getClass().getName().hashCode() * 31L + key.hashCode();
    }
}
