package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.murmur.membership.JoinResult;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/**
 * Serf nodes (the real actors) in one actor system over an in-memory network the test controls. Each node has an
 * event log, and answers every query it is given with its own name. Waits are on probes, never sleeps.
 */
final class SerfTestCluster implements AutoCloseable {

    /** Membership timings for a loaded two-core machine and a lossy network, a few times faster than LAN. */
    static MembershipConfig membershipConfig() {
        return MembershipConfig.lan().toBuilder()
                .probeInterval(Duration.ofMillis(500))
                .probeTimeout(Duration.ofMillis(250))
                .suspicionMult(5)
                .gossipInterval(Duration.ofMillis(100))
                .pushPullInterval(Duration.ofSeconds(1))
                .churnSyncDelay(Duration.ofMillis(300))
                .streamTimeout(Duration.ofSeconds(2))
                .gossipToTheDeadTime(Duration.ofSeconds(3))
                .rejoinInterval(Duration.ofSeconds(1))
                .build();
    }

    record Member(
            String name,
            Address address,
            ActorRef<Serf.Command> serf,
            ActorRef<SerfEvent> recorder,
            List<SerfEvent> events) {
        List<SerfEvent.User> userEvents() {
            return events.stream()
                    .filter(e -> e instanceof SerfEvent.User)
                    .map(e -> (SerfEvent.User) e)
                    .toList();
        }

        List<SerfEvent.Members> memberEvents(SerfEvent.Type type) {
            return events.stream()
                    .filter(e -> e.type() == type && e instanceof SerfEvent.Members)
                    .map(e -> (SerfEvent.Members) e)
                    .toList();
        }
    }

    final ActorTestKit kit;
    final MemoryNetwork network;
    final long seed;
    final Function<String, SerfConfig> configs;
    private final Map<String, Member> members = new LinkedHashMap<>();

    SerfTestCluster(ActorTestKit kit, MemoryNetwork network, long seed, Function<String, SerfConfig> configs) {
        this.kit = kit;
        this.network = network;
        this.seed = seed;
        this.configs = configs;
    }

    static Address addressOf(int i) {
        return new Address("10.1." + (i / 250) + "." + (i % 250 + 1), 7946);
    }

    Member start(String name, Address address, Map<String, String> tags) {
        return start(name, address, tags, s -> s);
    }

    Member start(String name, Address address, Map<String, String> tags, UnaryOperator<SerfSettings> adjust) {
        NodeSettings node = NodeSettings.of(name, address, membershipConfig()).withSeed(seed * 31 + members.size());
        SerfSettings settings = adjust.apply(new SerfSettings(node, configs.apply(name), tags));
        ActorRef<Serf.Command> serf = kit.spawn(Serf.create(settings, network.bind(address)), name);
        List<SerfEvent> events = new CopyOnWriteArrayList<>();
        ActorRef<SerfEvent> recorder = kit.spawn(recorder(serf, name, events));
        serf.tell(new Serf.Subscribe(recorder));
        Member m = new Member(name, address, serf, recorder, events);
        members.put(name, m);
        return m;
    }

    /** Records every event; answers every query with this node's name. */
    private Behavior<SerfEvent> recorder(ActorRef<Serf.Command> serf, String name, List<SerfEvent> events) {
        return Behaviors.setup(ctx -> {
            ActorRef<StatusReply<Done>> ignore = ctx.getSystem().ignoreRef();
            return Behaviors.receiveMessage(e -> {
                events.add(e);
                if (e instanceof SerfEvent.Query q) {
                    serf.tell(new Serf.Respond(q, Bytes.utf8(name), ignore));
                }
                return Behaviors.same();
            });
        });
    }

    List<Member> start(int count, Function<Integer, Map<String, String>> tags) {
        List<Member> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(start("s" + i, addressOf(i), tags.apply(i)));
        }
        return started;
    }

    List<Member> all() {
        return List.copyOf(members.values());
    }

    Member get(String name) {
        return members.get(name);
    }

    void joinAllThroughFirst() {
        List<Member> all = all();
        TestProbe<JoinResult> joined = kit.createTestProbe();
        for (Member m : all.subList(1, all.size())) {
            m.serf().tell(new Serf.Join(List.of(all.get(0).address()), false, joined.getRef()));
        }
        for (int i = 1; i < all.size(); i++) {
            assertEquals(1, joined.receiveMessage(Duration.ofSeconds(15)).joined(), "a join did not reach its seed");
        }
    }

    List<SerfMember> members(Member m) {
        TestProbe<List<SerfMember>> probe = kit.createTestProbe();
        m.serf().tell(new Serf.GetMembers(probe.getRef()));
        return probe.receiveMessage(Duration.ofSeconds(5));
    }

    /** Waits until every one of {@code who} sees {@code n} alive members. */
    void awaitAlive(List<Member> who, int n, Duration max) {
        kit.createTestProbe().awaitAssert(max, Duration.ofMillis(100), () -> {
            for (Member m : who) {
                long alive = members(m).stream()
                        .filter(s -> s.status() == MemberStatus.ALIVE)
                        .count();
                assertEquals(n, alive, m.name() + " sees " + members(m));
            }
            return null;
        });
    }

    void stop(Member m) {
        kit.stop(m.serf(), Duration.ofSeconds(10));
        kit.stop(m.recorder(), Duration.ofSeconds(10));
        members.remove(m.name());
    }

    @Override
    public void close() {
        all().forEach(this::stop);
    }
}
