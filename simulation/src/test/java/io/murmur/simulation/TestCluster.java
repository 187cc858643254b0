package io.murmur.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.JoinResult;
import io.murmur.membership.MemberEvent;
import io.murmur.membership.MemberView;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.MurmurNode;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.protocol.SecuritySettings;
import io.murmur.transport.Transport;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/**
 * Several real nodes (the actors, not a model of them) in one actor system, each with an event probe, over a network
 * the test controls. Waits are on probes and on the nodes' own answers, never on sleeps.
 */
final class TestCluster implements AutoCloseable {

    /** Timings a few times faster than the local profile, so that suites take seconds. */
    static MembershipConfig fastConfig() {
        return MembershipConfig.local().toBuilder()
                .probeInterval(Duration.ofMillis(200))
                .probeTimeout(Duration.ofMillis(80))
                .gossipInterval(Duration.ofMillis(40))
                .pushPullInterval(Duration.ofSeconds(2))
                .gossipToTheDeadTime(Duration.ofSeconds(2))
                .streamTimeout(Duration.ofSeconds(1))
                .rejoinInterval(Duration.ofSeconds(1))
                .build();
    }

    final ActorTestKit kit;
    final MembershipConfig config;
    final Function<Address, Transport> transports;
    final long seed;
    private final Map<String, Member> members = new LinkedHashMap<>();

    record Member(String name, MurmurNode node, EventLog events) {
        Address address() {
            return node.address();
        }

        MemberView view() {
            return node.members().toCompletableFuture().join();
        }
    }

    TestCluster(ActorTestKit kit, MembershipConfig config, Function<Address, Transport> transports, long seed) {
        this.kit = kit;
        this.config = config;
        this.transports = transports;
        this.seed = seed;
    }

    static TestCluster inMemory(ActorTestKit kit, MemoryNetwork network, MembershipConfig config, long seed) {
        return new TestCluster(kit, config, network::bind, seed);
    }

    static Address addressOf(int i) {
        return new Address("10.0." + (i / 250) + "." + (i % 250 + 1), 7946);
    }

    Member start(String name, Address address) {
        return start(name, address, SecuritySettings.NONE);
    }

    /** Starts a node with the given wire security. */
    Member start(String name, Address address, SecuritySettings security) {
        MurmurNode node = MurmurNode.start(
                kit.system(),
                NodeSettings.of(name, address, config)
                        .withSeed(seed * 31 + members.size())
                        .withSecurity(security),
                transports.apply(address));
        EventLog events = new EventLog();
        node.subscribe(kit.spawn(events.recorder()), true);
        Member m = new Member(name, node, events);
        members.put(name, m);
        return m;
    }

    /** Starts nodes n0 .. n(count-1) at {@link #addressOf}. */
    List<Member> start(int count) {
        List<Member> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(start("n" + i, addressOf(i)));
        }
        return started;
    }

    Member get(String name) {
        return members.get(name);
    }

    List<Member> all() {
        return List.copyOf(members.values());
    }

    List<Member> allBut(String name) {
        return members.values().stream().filter(m -> !m.name().equals(name)).toList();
    }

    /** Everyone but the first joins through the first, all at once; every join must reach its seed. */
    void joinAllThroughFirst() {
        List<Member> all = all();
        Address seed = all.get(0).address();
        List<CompletableFuture<JoinResult>> joins = new ArrayList<>();
        for (Member m : all.subList(1, all.size())) {
            joins.add(m.node().join(seed).toCompletableFuture());
        }
        for (CompletableFuture<JoinResult> j : joins) {
            assertEquals(1, j.join().joined(), "a join did not reach its seed");
        }
    }

    /** Waits until every given member sees exactly {@code expected} alive members. */
    void awaitAlive(List<Member> who, int expected, Duration max) {
        TestProbe<Object> waiter = kit.createTestProbe();
        waiter.awaitAssert(max, Duration.ofMillis(50), () -> {
            for (Member m : who) {
                MemberView v = m.view();
                assertEquals(expected, v.aliveCount(), m.name() + " sees " + v.all());
            }
            return null;
        });
    }

    /** Waits until each of {@code who} has published an event matching {@code p}. */
    void awaitEvent(List<Member> who, Duration max, Predicate<MemberEvent> p, String what) {
        kit.createTestProbe().awaitAssert(max, Duration.ofMillis(50), () -> {
            for (Member m : who) {
                assertTrue(
                        m.events().any(p),
                        m.name() + " has not seen " + what + "; its events: "
                                + m.events().all());
            }
            return null;
        });
    }

    /** The addresses of {@code who}, in order. */
    static List<Address> addresses(List<Member> who) {
        return who.stream().map(Member::address).toList();
    }

    /** Waits until {@code check} passes (does not throw) on the current view of each of {@code who}. */
    void awaitViews(List<Member> who, Duration max, BiConsumer<Member, MemberView> check) {
        kit.createTestProbe().awaitAssert(max, Duration.ofMillis(50), () -> {
            for (Member m : who) {
                check.accept(m, m.view());
            }
            return null;
        });
    }

    /** Lets {@code window} pass (on a probe that expects nothing), for checks that something did not happen. */
    void idle(Duration window) {
        kit.createTestProbe().expectNoMessage(window);
    }

    static Predicate<MemberEvent> event(MemberEvent.Type type, String node) {
        return e -> e.type() == type && e.member().name().equals(node);
    }

    @Override
    public void close() {
        for (Member m : members.values()) {
            m.node().stop().toCompletableFuture().join();
        }
        members.clear();
    }
}
