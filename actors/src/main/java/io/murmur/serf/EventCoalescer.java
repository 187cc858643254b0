package io.murmur.serf;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;

/**
 * Coalesces the serf events offered to it and tells the result to {@code downstream}: member events through a
 * {@link MemberEventCoalescer}, then user events through a {@link UserEventCoalescer}, each in a
 * {@link CoalescingFlow} with its own periods; queries and non-coalesced user events pass straight through.
 *
 * <p>Nothing offered is lost while the actor lives: events wait in the actor until the stream accepts them. When the
 * actor stops, the stream is completed, so that held events are flushed downstream (Serf flushes on shutdown).
 */
public final class EventCoalescer extends AbstractBehavior<EventCoalescer.Command> {

    /** Serf's coalescer channel size. */
    private static final int STREAM_BUFFER = 1024;

    public sealed interface Command permits Offer, Offered {}

    /** An event to coalesce. */
    public record Offer(SerfEvent event) implements Command {
        public Offer {
            Objects.requireNonNull(event, "event");
        }
    }

    private record Offered(QueueOfferResult result, Throwable failure) implements Command {}

    /** The two periods of one coalescer; a zero period turns coalescing off. */
    public record Periods(Duration coalesce, Duration quiescent) {
        /** Serf's library default: no coalescing. */
        public static final Periods OFF = new Periods(Duration.ZERO, Duration.ZERO);
        /** What Serf's agent uses for member and user events alike: 3 s quantum, 1 s quiet. */
        public static final Periods AGENT = new Periods(Duration.ofSeconds(3), Duration.ofSeconds(1));

        public Periods {
            Objects.requireNonNull(coalesce, "coalesce");
            Objects.requireNonNull(quiescent, "quiescent");
        }
    }

    /** An actor that coalesces member events with {@code member} periods and user events with {@code user} ones. */
    public static Behavior<Command> create(ActorRef<SerfEvent> downstream, Periods member, Periods user) {
        Objects.requireNonNull(downstream, "downstream");
        return Behaviors.setup(ctx -> new EventCoalescer(ctx, downstream, member, user));
    }

    private final SourceQueueWithComplete<SerfEvent> queue;
    /** Offered events the stream has not accepted yet; the head is in flight when {@link #offering}. */
    private final ArrayDeque<SerfEvent> waiting = new ArrayDeque<>();

    private boolean offering;

    private EventCoalescer(ActorContext<Command> ctx, ActorRef<SerfEvent> downstream, Periods member, Periods user) {
        super(ctx);
        // The system's materializer, not one bound to this actor: the stream must outlive PostStop to flush.
        this.queue = Source.<SerfEvent>queue(STREAM_BUFFER, OverflowStrategy.backpressure())
                .via(CoalescingFlow.create(MemberEventCoalescer::new, member.coalesce(), member.quiescent()))
                .via(CoalescingFlow.create(UserEventCoalescer::new, user.coalesce(), user.quiescent()))
                .to(Sink.foreach(downstream::tell))
                .run(Materializer.matFromSystem(ctx.getSystem()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Offer.class, this::onOffer)
                .onMessage(Offered.class, this::onOffered)
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    private Behavior<Command> onOffer(Offer offer) {
        waiting.add(offer.event());
        offerNext();
        return this;
    }

    private Behavior<Command> onOffered(Offered offered) {
        offering = false;
        if (offered.failure() != null || !QueueOfferResult.enqueued().equals(offered.result())) {
            Object why = offered.failure() != null ? offered.failure() : offered.result();
            getContext().getLog().error("coalescing stream refused an event ({}); {} events lost", why, waiting.size());
            return Behaviors.stopped();
        }
        waiting.poll();
        offerNext();
        return this;
    }

    private void offerNext() {
        if (!offering && !waiting.isEmpty()) {
            offering = true;
            getContext().pipeToSelf(queue.offer(waiting.peek()), Offered::new);
        }
    }

    private Behavior<Command> onPostStop() {
        if (!waiting.isEmpty()) {
            getContext().getLog().debug("stopped with {} events not yet in the coalescing stream", waiting.size());
        }
        queue.complete();
        return this;
    }
}
