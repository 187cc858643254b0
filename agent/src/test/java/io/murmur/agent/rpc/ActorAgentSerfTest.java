package io.murmur.agent.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.MembershipConfig;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.serf.Serf;
import io.murmur.serf.SerfSettings;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link ActorAgentSerf}'s asks, against a serf actor that never answers. */
class ActorAgentSerfTest {

    static final ActorTestKit kit = ActorTestKit.create("actor-agent-serf");

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void infoGivesUpSoonAfterTheSerfActorDoes() {
        // The serf actor waits Serf.GetInfo.TIMEOUT for its node, then stops without a reply: asking for longer than
        // that waits for nothing, asking for less misses a slow answer.
        assertTrue(ActorAgentSerf.INFO_TIMEOUT.compareTo(Serf.GetInfo.TIMEOUT) > 0, "asks at least as long");
        ActorRef<Serf.Command> stuck = kit.spawn(Behaviors.ignore());
        NodeSettings node = NodeSettings.of("i1", new Address("10.0.4.1", 7946), MembershipConfig.lan());
        ActorAgentSerf serf = new ActorAgentSerf(kit.system(), stuck, SerfSettings.of(node));

        long start = System.nanoTime();
        assertEquals(Optional.empty(), serf.info());
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(
                waited.compareTo(Serf.GetInfo.TIMEOUT.plusSeconds(3)) < 0,
                "serf info waited " + waited + " for an answer that stopped coming after " + Serf.GetInfo.TIMEOUT);
    }
}
