package io.murmur.membership;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Event streams over an actor that tells its events to subscriber actors: one subscription per materialization, made
 * from the materializing thread, so a stream sees every event that happens after the call that materializes it
 * returns. (A {@code BroadcastHub} attaches its consumers asynchronously, so events right after materialization could
 * be missed.)
 */
public final class EventStreams {

    private static final AtomicLong PUMPS = new AtomicLong();

    private EventStreams() {}

    /**
     * A source of {@code type} events from {@code publisher}: each materialization spawns a pump actor and passes it to
     * {@code subscribe}, which tells the publisher about it. The stream completes when the publisher stops and fails
     * with a {@link BufferOverflowException} when its consumer falls more than {@code bufferSize} events behind (the
     * publisher cannot be back-pressured, and a silent gap would be worse).
     */
    public static <E> Source<E, NotUsed> subscription(
            ActorSystem<?> system,
            ActorRef<?> publisher,
            Class<E> type,
            int bufferSize,
            Consumer<ActorRef<E>> subscribe) {
        return Source.<E>queue(bufferSize).mapMaterializedValue(queue -> {
            ActorRef<E> pump = system.systemActorOf(
                    pump(publisher, type, queue, bufferSize),
                    publisher.path().name() + "-events-" + PUMPS.incrementAndGet(),
                    Props.empty());
            subscribe.accept(pump);
            return NotUsed.notUsed();
        });
    }

    private static <E> Behavior<E> pump(
            ActorRef<?> publisher, Class<E> type, BoundedSourceQueue<E> queue, int bufferSize) {
        return Behaviors.setup(ctx -> {
            ctx.watch(publisher);
            return Behaviors.receive(type)
                    .onMessage(type, e -> {
                        QueueOfferResult offered = queue.offer(e);
                        if (offered.isEnqueued()) {
                            return Behaviors.same();
                        }
                        if (offered == QueueOfferResult.dropped()) {
                            queue.fail(new BufferOverflowException(
                                    "the consumer fell more than " + bufferSize + " events behind"));
                        }
                        return Behaviors.stopped(); // the stream is over: cancelled, failed or overflowed
                    })
                    .onSignal(Terminated.class, t -> {
                        queue.complete();
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }
}
