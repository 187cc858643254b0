package io.murmur.agent;

import io.murmur.membership.MembershipConfig;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.protocol.Keyring;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfSettings;
import io.murmur.transport.memory.MemoryNetwork;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The three agents the CLI suites drive, on the in-memory network: {@code <prefix>1} tagged {@code role=web}, the
 * others {@code role=db}, all with one encryption key, the second requiring the RPC token {@code tok3n}, and every one
 * answering the query {@code uptime} with {@code up on <name>}.
 */
final class ThreeAgents implements AutoCloseable {

    static final String KEY = "5K9OtfP7efFrNKe5WCQvXvnaXJ5cWP0SvXiwe0kkjM4=";
    static final String TOKEN = "tok3n";

    final ActorSystem<Void> system;
    final List<SerfAgent> agents = new ArrayList<>();
    /** Every event the first agent delivered, from its start. */
    final List<SerfEvent> seenByFirst = new CopyOnWriteArrayList<>();
    /** Answers to {@code uptime} a node refused, for assertion messages. */
    final List<String> respondErrors = new CopyOnWriteArrayList<>();

    private final MemoryNetwork network;

    /**
     * @param prefix the agents' names before their number
     * @param subnet their addresses, {@code <subnet>.1} to {@code <subnet>.3}
     */
    ThreeAgents(String systemName, String prefix, String subnet, long seed) throws Exception {
        system = ActorSystem.create(Behaviors.empty(), systemName);
        network = new MemoryNetwork(seed);
        for (int i = 1; i <= 3; i++) {
            String name = prefix + i;
            Address address = new Address(subnet + "." + i, 7946);
            NodeSettings node =
                    NodeSettings.of(name, address, MembershipConfig.lan()).withSeed(seed + i);
            SerfSettings settings = SerfSettings.of(node)
                    .withTags(Map.of("role", i == 1 ? "web" : "db"))
                    .withKeyring(Keyring.of(List.of(Keyring.decodeKey(KEY))), null);
            SerfAgent agent = SerfAgent.start(
                    system,
                    settings,
                    network.bind(address),
                    new InetSocketAddress("127.0.0.1", 0),
                    i == 2 ? TOKEN : "",
                    null);
            agents.add(agent);
            // Off the subscriber's actor thread: respond blocks until the node has taken the answer.
            agent.api().subscribe(e -> {
                if (e instanceof SerfEvent.Query q && q.name().equals("uptime")) {
                    CompletableFuture.runAsync(() -> agent.api()
                            .respond(q, ("up on " + name).getBytes(StandardCharsets.UTF_8))
                            .ifPresent(error -> respondErrors.add(name + ": " + error)));
                }
            });
        }
        agents.get(0).api().subscribe(seenByFirst::add);
    }

    /** {@code -rpc-addr=...} of agent {@code n} (from 1). */
    String rpc(int n) {
        return "-rpc-addr=127.0.0.1:" + agents.get(n - 1).rpcPort();
    }

    @Override
    public void close() throws Exception {
        agents.forEach(SerfAgent::close);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        network.close();
    }
}
