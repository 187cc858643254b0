package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.NodeInfo;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A protocol actor whose core throws drops that message and carries on: a bug must not take the node down. */
class SupervisionTest {

    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void memberTableSurvivesAMessageItsCoreRejects() {
        NodeInfo self = new NodeInfo("a", new Address("10.0.0.1", 7946));
        MemberTable core = new MemberTable(self, MembershipConfig.local());
        core.start(0);
        TestProbe<ProberActor.Command> prober = kit.createTestProbe();
        TestProbe<GossiperActor.Command> gossiper = kit.createTestProbe();
        TestProbe<SyncerActor.Command> syncer = kit.createTestProbe();
        ActorRef<MemberTableActor.Command> table =
                kit.spawn(Node.resumeOnFailure(MemberTableActor.create(core, List.of())));
        table.tell(new MemberTableActor.Wire(new Siblings(table, prober.getRef(), gossiper.getRef(), syncer.getRef())));

        // Not a membership update: the core throws IllegalArgumentException.
        table.tell(new MemberTableActor.Apply(new Ping(1, "a", "b", new Address("10.0.0.2", 7946))));

        TestProbe<MemberView> views = kit.createTestProbe();
        table.tell(new MemberTableActor.GetView(views.getRef()));
        assertEquals(1, views.receiveMessage(Duration.ofSeconds(5)).size());
        TestProbe<org.apache.pekko.pattern.StatusReply<org.apache.pekko.Done>> done = kit.createTestProbe();
        table.tell(new MemberTableActor.UpdateMeta(Bytes.utf8("still here"), done.getRef()));
        done.receiveMessage(Duration.ofSeconds(5));
    }
}
