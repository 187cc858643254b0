package io.murmur.serf;

import io.murmur.membership.Node;
import io.murmur.protocol.Bytes;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/**
 * Serf's graceful leave after the leave intent is stamped: broadcast it and wait until it has been sent (at most
 * {@code broadcast-timeout}), leave membership (waiting as long again for its broadcast), wait
 * {@code leave-propagate-delay} for both to spread, then reply and stop. A step that times out moves on: a leave is
 * never stuck.
 */
final class LeaveSequence {
    private LeaveSequence() {}

    private enum Step {
        INTENT_SENT,
        MEMBERSHIP_LEFT,
        PROPAGATED
    }

    static Behavior<Step> create(
            ActorRef<Node.Command> node, Bytes intent, SerfConfig config, ActorRef<StatusReply<Done>> replyTo) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            node.tell(new Node.Broadcast(
                    intent,
                    ctx.messageAdapter(Done.class, d -> Step.INTENT_SENT),
                    config.broadcastTransmits(),
                    SerfWire.INTENTS));
            timers.startSingleTimer(Step.INTENT_SENT, config.broadcastTimeout());
            return Behaviors.receiveMessage(step -> switch (step) {
                case INTENT_SENT -> {
                    timers.cancel(Step.INTENT_SENT);
                    ActorRef<StatusReply<Done>> left = ctx.messageAdapter(StatusReply.class, r -> Step.MEMBERSHIP_LEFT)
                            .unsafeUpcast();
                    node.tell(new Node.Leave(config.broadcastTimeout(), left));
                    timers.startSingleTimer(
                            Step.MEMBERSHIP_LEFT, config.broadcastTimeout().plusSeconds(1));
                    // Whichever comes second (the broadcast done, or its timeout) finds nothing more to do here.
                    yield Behaviors.receiveMessage(next ->
                            next == Step.MEMBERSHIP_LEFT ? propagate(timers, config, replyTo) : Behaviors.same());
                }
                default -> Behaviors.same();
            });
        }));
    }

    private static Behavior<Step> propagate(
            org.apache.pekko.actor.typed.javadsl.TimerScheduler<Step> timers,
            SerfConfig config,
            ActorRef<StatusReply<Done>> replyTo) {
        timers.cancel(Step.MEMBERSHIP_LEFT);
        timers.startSingleTimer(Step.PROPAGATED, config.leavePropagateDelay());
        return Behaviors.receiveMessage(step -> {
            if (step != Step.PROPAGATED) {
                return Behaviors.same();
            }
            replyTo.tell(StatusReply.ack());
            return Behaviors.stopped();
        });
    }
}
