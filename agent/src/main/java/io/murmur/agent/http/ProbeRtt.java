package io.murmur.agent.http;

import io.micrometer.core.instrument.Timer;
import io.murmur.membership.Node;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Records every answered direct probe's round trip into a histogram: the membership node reports them
 * ({@link Node.SubscribeProbes}) but keeps no distribution of its own.
 */
final class ProbeRtt {

    private ProbeRtt() {}

    static Timer timer(io.micrometer.core.instrument.MeterRegistry registry) {
        return Timer.builder("memberlist.probe.rtt")
                .description("Round trip of answered direct probes")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    static Behavior<Node.ProbeAcked> create(Timer rtt) {
        return Behaviors.receiveMessage(probe -> {
            rtt.record(probe.rttNanos(), TimeUnit.NANOSECONDS);
            return Behaviors.same();
        });
    }
}
