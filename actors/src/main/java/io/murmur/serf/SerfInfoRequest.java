package io.murmur.serf;

import io.murmur.membership.Node;
import io.murmur.membership.QueueDepths;
import java.util.OptionalLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One {@link Serf.GetInfo}: what the serf actor knew when asked (its clocks, the coordinate resets) plus what only
 * the membership node knows (the health score, the queue depths), asked of it here so that the serf actor never
 * waits. Replies once and stops; when the node does not answer within {@link Serf.GetInfo#TIMEOUT} it stops without
 * a reply, and the asker's own timeout, a little longer, says so.
 */
final class SerfInfoRequest {
    private SerfInfoRequest() {}

    private sealed interface Answer permits Health, Queues, TimedOut {}

    private record Health(Integer score) implements Answer {}

    private record Queues(QueueDepths depths) implements Answer {}

    private enum TimedOut implements Answer {
        INSTANCE
    }

    /** @param clocks the member, event and query clock times ({@link SerfCore#clockTimes()}) */
    static Behavior<?> create(
            ActorRef<Node.Command> node, long[] clocks, OptionalLong coordinateResets, ActorRef<SerfInfo> replyTo) {
        return Behaviors.<Answer>setup(ctx -> Behaviors.withTimers(timers -> {
            node.tell(new Node.GetHealthScore(ctx.messageAdapter(Integer.class, Health::new)));
            node.tell(new Node.GetQueueDepths(ctx.messageAdapter(QueueDepths.class, Queues::new)));
            timers.startSingleTimer(TimedOut.INSTANCE, Serf.GetInfo.TIMEOUT);
            return waiting(null, null, clocks, coordinateResets, replyTo);
        }));
    }

    private static Behavior<Answer> waiting(
            Integer health,
            QueueDepths queues,
            long[] clocks,
            OptionalLong coordinateResets,
            ActorRef<SerfInfo> replyTo) {
        if (health != null && queues != null) {
            replyTo.tell(new SerfInfo(
                    health,
                    clocks[0],
                    clocks[1],
                    clocks[2],
                    queues.user(SerfWire.INTENTS),
                    queues.user(SerfWire.EVENTS),
                    queues.user(SerfWire.QUERIES),
                    coordinateResets));
            return Behaviors.stopped();
        }
        return Behaviors.receiveMessage(answer -> {
            if (answer instanceof Health h) {
                return waiting(h.score(), queues, clocks, coordinateResets, replyTo);
            } else if (answer instanceof Queues q) {
                return waiting(health, q.depths(), clocks, coordinateResets, replyTo);
            }
            return Behaviors.stopped(); // the node did not answer in time
        });
    }
}
