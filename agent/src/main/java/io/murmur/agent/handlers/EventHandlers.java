package io.murmur.agent.handlers;

import io.murmur.agent.rpc.AgentDrops;
import io.murmur.agent.rpc.AgentSerf;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfMember;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's event-handler scripts. Events reach {@link #offer} from the node's subscription and wait in a bounded
 * queue; one thread of its own takes them in order and runs every matching script in turn, so scripts run one at a
 * time in event order as in Serf, but a slow or hanging script never holds up gossip or the serf actor: past
 * {@code queueBound} waiting events, new ones are dropped, counted and logged. A query's script that exits 0 with
 * output answers the query with that output.
 */
public final class EventHandlers implements AutoCloseable {

    /** Events waiting beyond this many are dropped. */
    public static final int DEFAULT_QUEUE_BOUND = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EventHandlers.class);

    private final AgentSerf serf;
    private volatile List<HandlerSpec> handlers;
    private final ScriptRunner runner;
    private final int responseLimit;
    private final BlockingQueue<SerfEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AgentDrops drops;
    private final Thread worker;
    private volatile Map<String, String> selfTags;
    private AutoCloseable subscription;

    /**
     * @param selfTags this node's tags at start; later ones are learnt from its own member events
     * @param responseLimit the node's query response size limit: larger script output is not sent
     * @param drops where the events dropped past {@code queueBound} are counted (besides {@link #dropped()})
     */
    EventHandlers(
            AgentSerf serf,
            Map<String, String> selfTags,
            List<HandlerSpec> handlers,
            ScriptRunner runner,
            int queueBound,
            int responseLimit,
            AgentDrops drops) {
        this.serf = serf;
        this.drops = drops;
        this.selfTags = Map.copyOf(selfTags);
        this.handlers = List.copyOf(handlers);
        this.runner = runner;
        this.responseLimit = responseLimit;
        this.queue = new ArrayBlockingQueue<>(queueBound);
        this.worker = new Thread(this::runLoop, "event-handlers-" + serf.name());
        this.worker.setDaemon(true);
    }

    /** Starts the handlers' thread and subscribes it to {@code serf}'s events. */
    public static EventHandlers start(
            AgentSerf serf,
            Map<String, String> selfTags,
            List<HandlerSpec> handlers,
            java.time.Duration timeout,
            int responseLimit,
            AgentDrops drops) {
        EventHandlers h = new EventHandlers(
                serf, selfTags, handlers, new ScriptRunner(timeout), DEFAULT_QUEUE_BOUND, responseLimit, drops);
        h.worker.start();
        h.subscription = serf.subscribe(h::offer);
        return h;
    }

    /** The handlers these scripts run for, in the order they run. */
    public List<HandlerSpec> specs() {
        return handlers;
    }

    /** Queues {@code event} for the scripts; never blocks. False when the queue is full and the event was dropped. */
    boolean offer(SerfEvent event) {
        if (handlers.stream().noneMatch(h -> h.matches(event)) && !(event instanceof SerfEvent.Members)) {
            return true; // nothing to run; member events still pass, to keep this node's tags current
        }
        if (queue.offer(event)) {
            return true;
        }
        long n = dropped.incrementAndGet();
        drops.dropped(AgentDrops.Where.EVENT_HANDLERS);
        if (Long.bitCount(n)
                == 1) { // the 1st, 2nd, 4th, 8th... drop: a flood writes a line per doubling, not per event
            LOG.warn(
                    "event handlers are behind ({} events waiting): dropped a {} event ({} dropped so far; every"
                            + " drop is counted on /metrics, this line repeats as the count doubles)",
                    queue.size(),
                    event.type().serfName(),
                    n);
        }
        return false;
    }

    /**
     * Later events run {@code newHandlers} instead (SIGHUP, as Serf swaps its scripts): a script already running
     * finishes, and so do the other scripts of its event; events queued before the swap run the new set.
     */
    public void replace(List<HandlerSpec> newHandlers) {
        handlers = List.copyOf(newHandlers);
    }

    /** Events dropped because the scripts fell too far behind. */
    public long dropped() {
        return dropped.get();
    }

    private void runLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                handle(queue.take());
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Runs every matching script for {@code event}, one after the other. */
    void handle(SerfEvent event) throws InterruptedException {
        if (event instanceof SerfEvent.Members m) {
            for (SerfMember member : m.members()) {
                if (member.name().equals(serf.name()) && event.type() != SerfEvent.Type.MEMBER_REAP) {
                    selfTags = member.tags();
                }
            }
        }
        for (HandlerSpec handler : handlers) { // one read: a swap during this event applies from the next
            if (!handler.matches(event)) {
                continue;
            }
            Map<String, String> env = ScriptInput.environment(event, serf.name(), selfTags);
            ScriptRunner.Result result = runner.run(handler.script(), env, ScriptInput.stdin(event));
            if (event instanceof SerfEvent.Query q && result.succeeded() && result.output().length > 0) {
                respond(q, handler, result.output());
            }
        }
    }

    private void respond(SerfEvent.Query query, HandlerSpec handler, byte[] output) {
        if (output.length > responseLimit) {
            LOG.warn(
                    "event handler '{}' answered query '{}' with {} bytes, more than the limit of {}: not sent",
                    handler.script(),
                    query.name(),
                    output.length,
                    responseLimit);
            return;
        }
        Optional<String> error = serf.respond(query, output);
        error.ifPresent(e -> LOG.warn(
                "response of event handler '{}' to query '{}' not sent: {}", handler.script(), query.name(), e));
    }

    /** Unsubscribes and stops the thread; a script still running is killed. */
    @Override
    public void close() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing event handlers", e);
            }
        }
        worker.interrupt();
        runner.close();
    }
}
