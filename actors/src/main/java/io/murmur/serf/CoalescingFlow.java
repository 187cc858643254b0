package io.murmur.serf;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * Serf's coalescing loop as a stream stage (Serf §2.7). Events its {@link Coalescer} does not handle pass straight
 * through, in order. Handled events are held in the coalescer: the first one held starts the coalesce period, every one
 * held restarts the quiescent period, and whichever ends first flushes the coalescer downstream. Upstream completion
 * flushes what is held, then completes.
 *
 * <p>Backpressure: the stage pulls upstream eagerly so that a slow consumer gets events coalesced rather than queued,
 * but never while flushed or passed-through events still wait for downstream demand. Nothing is dropped.
 */
public final class CoalescingFlow extends GraphStage<FlowShape<SerfEvent, SerfEvent>> {

    private enum Timer {
        COALESCE,
        QUIESCENT
    }

    private final Inlet<SerfEvent> in = Inlet.create("CoalescingFlow.in");
    private final Outlet<SerfEvent> out = Outlet.create("CoalescingFlow.out");
    private final FlowShape<SerfEvent, SerfEvent> shape = FlowShape.of(in, out);
    private final Supplier<? extends Coalescer> core;
    private final Duration coalescePeriod;
    private final Duration quiescentPeriod;

    private CoalescingFlow(Supplier<? extends Coalescer> core, Duration coalescePeriod, Duration quiescentPeriod) {
        this.core = core;
        this.coalescePeriod = coalescePeriod;
        this.quiescentPeriod = quiescentPeriod;
    }

    /**
     * A flow that coalesces the events {@code core} handles. A fresh core is taken from the supplier on every
     * materialization. If either period is zero the flow passes everything through unchanged (Serf's library default:
     * coalescing off).
     *
     * @throws IllegalArgumentException if a period is negative
     */
    public static Flow<SerfEvent, SerfEvent, NotUsed> create(
            Supplier<? extends Coalescer> core, Duration coalescePeriod, Duration quiescentPeriod) {
        Objects.requireNonNull(core, "core");
        if (coalescePeriod.isNegative() || quiescentPeriod.isNegative()) {
            throw new IllegalArgumentException("negative period: " + coalescePeriod + " / " + quiescentPeriod);
        }
        if (coalescePeriod.isZero() || quiescentPeriod.isZero()) {
            return Flow.create();
        }
        return Flow.fromGraph(new CoalescingFlow(core, coalescePeriod, quiescentPeriod));
    }

    @Override
    public FlowShape<SerfEvent, SerfEvent> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new Logic(Objects.requireNonNull(core.get(), "core supplier returned null"));
    }

    private final class Logic extends TimerGraphStageLogic {
        private final Coalescer coalescer;
        /** Events ready for downstream, oldest first: passed-through events and flushed ones. */
        private final ArrayDeque<SerfEvent> ready = new ArrayDeque<>();

        private boolean finishing;

        Logic(Coalescer coalescer) {
            super(shape);
            this.coalescer = coalescer;
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    SerfEvent event = grab(in);
                    if (coalescer.handles(event)) {
                        hold(event);
                    } else {
                        ready.add(event);
                        pushReady();
                    }
                    pullIfIdle();
                }

                @Override
                public void onUpstreamFinish() {
                    flush();
                    finishing = true;
                    pushReady();
                }
            });
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    pushReady();
                    pullIfIdle();
                }
            });
        }

        @Override
        public void preStart() {
            pull(in);
        }

        @Override
        public void onTimer(Object timerKey) {
            flush();
            pushReady();
            pullIfIdle();
        }

        private void hold(SerfEvent event) {
            coalescer.add(event);
            if (!isTimerActive(Timer.COALESCE)) {
                scheduleOnce(Timer.COALESCE, coalescePeriod);
            }
            scheduleOnce(Timer.QUIESCENT, quiescentPeriod); // replaces the running one: a restart
        }

        private void flush() {
            cancelTimer(Timer.COALESCE);
            cancelTimer(Timer.QUIESCENT);
            if (!coalescer.isEmpty()) {
                ready.addAll(coalescer.flush());
            }
        }

        private void pushReady() {
            if (!ready.isEmpty() && isAvailable(out)) {
                push(out, ready.poll());
            }
            if (finishing && ready.isEmpty()) {
                completeStage();
            }
        }

        private void pullIfIdle() {
            if (ready.isEmpty() && !finishing && !isClosed(in) && !hasBeenPulled(in)) {
                pull(in);
            }
        }
    }
}
