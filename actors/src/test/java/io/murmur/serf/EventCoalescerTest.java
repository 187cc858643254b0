package io.murmur.serf;

import static io.murmur.serf.CoalesceFixtures.join;
import static io.murmur.serf.CoalesceFixtures.marker;
import static io.murmur.serf.CoalesceFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The actor over both coalescing stages, in manual time; markers prove what the stages have taken. */
class EventCoalescerTest {

    static final ActorTestKit kit = ActorTestKit.create(ManualTime.config());
    static final ManualTime time = ManualTime.get(kit.system());
    static final Duration WAIT = Duration.ofSeconds(3);

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static void offer(ActorRef<EventCoalescer.Command> coalescer, SerfEvent... events) {
        for (SerfEvent e : events) {
            coalescer.tell(new EventCoalescer.Offer(e));
        }
    }

    @Test
    void coalescesMemberAndUserEventsWithTheAgentPeriods() {
        TestProbe<SerfEvent> downstream = kit.createTestProbe();
        ActorRef<EventCoalescer.Command> coalescer = kit.spawn(
                EventCoalescer.create(downstream.getRef(), EventCoalescer.Periods.AGENT, EventCoalescer.Periods.AGENT));
        SerfEvent once = user("once", 1, "x", false);
        offer(coalescer, join("a"), user("deploy", 1, "v1", true), join("b"), user("deploy", 2, "v2", true), once);
        offer(coalescer, marker(1));
        assertEquals(List.of(once, marker(1)), downstream.receiveSeveralMessages(2, WAIT));

        time.timePasses(Duration.ofSeconds(1));
        assertEquals(
                Set.of(join("a", "b"), user("deploy", 2, "v2", true)),
                Set.copyOf(downstream.receiveSeveralMessages(2, WAIT)));
        offer(coalescer, marker(2));
        downstream.expectMessage(WAIT, marker(2));
    }

    @Test
    void offPeriodsPassEverythingThrough() {
        TestProbe<SerfEvent> downstream = kit.createTestProbe();
        ActorRef<EventCoalescer.Command> coalescer = kit.spawn(
                EventCoalescer.create(downstream.getRef(), EventCoalescer.Periods.OFF, EventCoalescer.Periods.OFF));
        List<SerfEvent> events =
                List.of(join("a"), join("a"), user("deploy", 1, "v1", true), user("deploy", 2, "v2", true));
        events.forEach(e -> coalescer.tell(new EventCoalescer.Offer(e)));
        assertEquals(events, downstream.receiveSeveralMessages(events.size(), WAIT));
    }

    @Test
    void stoppingFlushesWhatIsHeld() {
        TestProbe<SerfEvent> downstream = kit.createTestProbe();
        ActorRef<EventCoalescer.Command> coalescer = kit.spawn(
                EventCoalescer.create(downstream.getRef(), EventCoalescer.Periods.AGENT, EventCoalescer.Periods.AGENT));
        offer(coalescer, join("c"), user("deploy", 3, "v3", true), marker(3));
        downstream.expectMessage(WAIT, marker(3));

        kit.stop(coalescer);
        assertEquals(
                Set.of(join("c"), user("deploy", 3, "v3", true)),
                Set.copyOf(downstream.receiveSeveralMessages(2, WAIT)));
    }
}
