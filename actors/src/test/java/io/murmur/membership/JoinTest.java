package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.protocol.NodeState;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link Node.Join} against real nodes on the in-memory network: what the joiner knows when the answer arrives. */
class JoinTest {

    static final ActorTestKit kit = ActorTestKit.create("join");
    private static final long SEED = 29;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MEMBERS_BEFORE = 8;
    private static final int JOINERS = 4;

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static ActorRef<Node.Command> start(MemoryNetwork network, String name, Address address) {
        NodeSettings settings =
                NodeSettings.of(name, address, MembershipConfig.local()).withSeed(SEED);
        return kit.spawn(Node.create(settings, network.bind(address)), name);
    }

    private static MemberView view(ActorRef<Node.Command> node) {
        TestProbe<MemberView> probe = kit.createTestProbe();
        node.tell(new Node.GetMembers(probe.getRef()));
        return probe.receiveMessage(WAIT);
    }

    /**
     * The answer goes through the member table after the states the seed sent: a caller that hears the join succeeded
     * finds the members it learned in the table, and a subscriber heard of them first. Were the answer sent straight
     * back, it could overtake the table's events, and a query right after a join would expect nobody.
     */
    @Test
    void aJoinAnswersAfterTheJoinerHeardOfTheSeedAndEveryMemberTheSeedKnew() {
        try (MemoryNetwork network = new MemoryNetwork(SEED)) {
            Address seedAddress = new Address("10.5.0.1", 7946);
            ActorRef<Node.Command> seed = start(network, "seed", seedAddress);
            // Several members to learn: the more the table has to apply, the surer an answer sent straight back
            // would overtake its events.
            List<ActorRef<Node.Command>> nodes = new ArrayList<>(List.of(seed));
            Set<String> known = new TreeSet<>(Set.of("seed"));
            for (int i = 1; i <= MEMBERS_BEFORE; i++) {
                ActorRef<Node.Command> member = start(network, "m" + i, new Address("10.5.1." + i, 7946));
                TestProbe<JoinResult> joined = kit.createTestProbe();
                member.tell(new Node.Join(List.of(seedAddress), joined.getRef()));
                assertEquals(1, joined.receiveMessage(WAIT).joined());
                nodes.add(member);
                known.add("m" + i);
            }
            kit.createTestProbe().awaitAssert(WAIT, () -> {
                assertEquals(known.size(), view(seed).aliveCount(), "the seed knows every member");
                return null;
            });

            // Several joiners, one after the other: each must have heard of every member before its answer.
            for (int j = 1; j <= JOINERS; j++) {
                ActorRef<Node.Command> joiner = start(network, "j" + j, new Address("10.5.2." + j, 7946));
                nodes.add(joiner);
                // One probe for the member events and the answer: what the joiner told, in the order it told it.
                TestProbe<Object> told = kit.createTestProbe();
                joiner.tell(new Node.Subscribe(told.getRef().narrow(), false));
                joiner.tell(new Node.Join(List.of(seedAddress), told.getRef().narrow()));
                Set<String> heardOf = new TreeSet<>();
                List<Object> before = new ArrayList<>();
                Object message;
                while (!((message = told.receiveMessage(WAIT)) instanceof JoinResult)) {
                    before.add(message);
                    MemberEvent event = (MemberEvent) message;
                    if (event.type() == MemberEvent.Type.JOIN) {
                        heardOf.add(event.member().name());
                    }
                }
                assertEquals(1, ((JoinResult) message).joined());
                assertTrue(heardOf.containsAll(known), "j" + j + " was told before the answer: " + before);

                MemberView view = view(joiner);
                for (String name : known) {
                    assertTrue(
                            view.get(name)
                                    .filter(m -> m.state() == NodeState.ALIVE)
                                    .isPresent(),
                            name + " in " + view);
                }
            }
            nodes.forEach(n -> kit.stop(n, WAIT));
        }
    }
}
