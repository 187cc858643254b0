package io.murmur.serf;

import static io.murmur.serf.CoalesceFixtures.join;
import static io.murmur.serf.CoalesceFixtures.marker;
import static io.murmur.serf.CoalesceFixtures.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The coalescing stage in manual time. Before time is advanced, a marker (an event the core does not handle) is sent
 * after the events and awaited downstream: the stage has then taken them and set its timers.
 */
class CoalescingFlowTest {

    static final ActorTestKit kit = ActorTestKit.create(ManualTime.config());
    static final ManualTime time = ManualTime.get(kit.system());
    static final Materializer mat = Materializer.matFromSystem(kit.system());
    static final Duration WAIT = Duration.ofSeconds(3);

    private int markers;

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static Flow<SerfEvent, SerfEvent, NotUsed> agentMemberFlow() {
        return CoalescingFlow.create(MemberEventCoalescer::new, Duration.ofSeconds(3), Duration.ofSeconds(1));
    }

    private record Run(BoundedSourceQueue<SerfEvent> in, TestProbe<SerfEvent> out, CompletionStage<Done> done) {}

    private Run run(Flow<SerfEvent, SerfEvent, NotUsed> flow) {
        TestProbe<SerfEvent> probe = kit.createTestProbe();
        Pair<BoundedSourceQueue<SerfEvent>, CompletionStage<Done>> mats = Source.<SerfEvent>queue(64)
                .via(flow)
                .toMat(Sink.foreach(probe.getRef()::tell), Keep.both())
                .run(mat);
        return new Run(mats.first(), probe, mats.second());
    }

    /** Offers the events, then a marker, and waits for the marker: nothing else may arrive before it. */
    private void offerAndSettle(Run run, SerfEvent... events) {
        for (SerfEvent e : events) {
            run.in().offer(e);
        }
        SerfEvent m = marker(++markers);
        run.in().offer(m);
        run.out().expectMessage(WAIT, m);
    }

    @Test
    void flushesAfterAQuietPeriod() {
        Run run = run(agentMemberFlow());
        offerAndSettle(run, join("a"), named(SerfEvent.Type.MEMBER_FAILED, "b"), join("b"));

        time.timePasses(Duration.ofMillis(999));
        offerAndSettle(run);
        time.timePasses(Duration.ofMillis(1));
        run.out().expectMessage(WAIT, join("a", "b"));

        // the flush cancelled the first window's coalesce timer (due at 3 s): a new window starts afresh at 2.5 s
        time.timePasses(Duration.ofMillis(1500));
        offerAndSettle(run, join("c"));
        time.timePasses(Duration.ofMillis(500));
        offerAndSettle(run);
        time.timePasses(Duration.ofMillis(500));
        run.out().expectMessage(WAIT, join("c"));
    }

    @Test
    void everyHeldEventRestartsTheQuietPeriod() {
        Run run = run(agentMemberFlow());
        offerAndSettle(run, join("a"));
        time.timePasses(Duration.ofMillis(800));
        offerAndSettle(run, join("b"));
        time.timePasses(Duration.ofMillis(800));
        offerAndSettle(run);
        time.timePasses(Duration.ofMillis(200));
        run.out().expectMessage(WAIT, join("a", "b"));
    }

    @Test
    void flushesAtTheEndOfTheCoalescePeriodUnderAContinuousTrickle() {
        Run run = run(agentMemberFlow());
        for (String name : List.of("a", "b", "c", "d")) {
            offerAndSettle(run, join(name));
            time.timePasses(Duration.ofMillis(900)); // always within the quiet period
        }
        // 3.6 s since the first event: the 3 s coalesce period has fired in the last step
        run.out().expectMessage(WAIT, join("a", "b", "c", "d"));

        // the flush reset both timers: nothing more, and the next event opens a new window
        time.timePasses(Duration.ofSeconds(5));
        offerAndSettle(run, join("e"));
        time.timePasses(Duration.ofSeconds(1));
        run.out().expectMessage(WAIT, join("e"));
    }

    @Test
    void unhandledEventsPassStraightThroughInOrder() {
        Run run = run(agentMemberFlow());
        SerfEvent once = CoalesceFixtures.user("once", 1, "x", false);
        run.in().offer(marker(100));
        run.in().offer(join("a"));
        run.in().offer(once);
        run.in().offer(marker(101));
        assertEquals(List.of(marker(100), once, marker(101)), run.out().receiveSeveralMessages(3, WAIT));

        time.timePasses(Duration.ofSeconds(1));
        run.out().expectMessage(WAIT, join("a"));
    }

    @Test
    void completionFlushesWhatIsHeldThenCompletes() throws Exception {
        Run run = run(agentMemberFlow());
        offerAndSettle(run, join("a"), named(SerfEvent.Type.MEMBER_LEAVE, "b"));

        run.in().complete();
        run.out().expectMessage(WAIT, join("a"));
        run.out().expectMessage(WAIT, named(SerfEvent.Type.MEMBER_LEAVE, "b"));
        run.done().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aZeroPeriodPassesEverythingThrough() {
        Run run = run(CoalescingFlow.create(MemberEventCoalescer::new, Duration.ZERO, Duration.ofSeconds(1)));
        run.in().offer(join("a"));
        run.in().offer(join("a"));
        run.out().expectMessage(WAIT, join("a"));
        run.out().expectMessage(WAIT, join("a"));

        assertThrows(
                IllegalArgumentException.class,
                () -> CoalescingFlow.create(MemberEventCoalescer::new, Duration.ofSeconds(-1), Duration.ZERO));
    }

    @Test
    void aSlowConsumerLosesNothing() throws Exception {
        Pair<BoundedSourceQueue<SerfEvent>, SinkQueueWithCancel<SerfEvent>> mats = Source.<SerfEvent>queue(64)
                .via(agentMemberFlow())
                .toMat(Sink.<SerfEvent>queue().withAttributes(Attributes.inputBuffer(1, 1)), Keep.both())
                .run(mat);
        BoundedSourceQueue<SerfEvent> in = mats.first();
        SinkQueueWithCancel<SerfEvent> out = mats.second();
        List<SerfEvent> expected = new ArrayList<>();
        for (SerfEvent.Type type : SerfEvent.Type.values()) {
            if (type.isMemberEvent()) {
                in.offer(named(type, type.serfName()));
                expected.add(named(type, type.serfName()));
            }
        }
        in.offer(marker(200));
        assertEquals(marker(200), pull(out)); // all five are held now

        time.timePasses(Duration.ofSeconds(1)); // five events flushed at once; the consumer wants one at most
        for (int i = 0; i < 40; i++) {
            assertEquals(QueueOfferResult.enqueued(), in.offer(marker(300 + i)));
            expected.add(marker(300 + i));
        }
        List<SerfEvent> received = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            received.add(pull(out));
        }
        assertEquals(expected, received);
    }

    private static SerfEvent pull(SinkQueueWithCancel<SerfEvent> sink) throws Exception {
        return sink.pull()
                .toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                .orElseThrow();
    }
}
