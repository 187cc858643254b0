package io.murmur.agent;

import io.murmur.membership.MemberEvent;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.MurmurNode;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.protocol.SecuritySettings;
import io.murmur.transport.Transport;
import io.murmur.transport.aeron.AeronMedia;
import io.murmur.transport.aeron.AeronTransport;
import io.murmur.transport.memory.MemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Many nodes in one process, on loopback Aeron or on the in-memory network, each with a callback for its member
 * events. The demo and the benchmarks run on it.
 */
final class LocalCluster implements AutoCloseable {

    enum Kind {
        AERON,
        MEMORY
    }

    private final ActorSystem<?> system;
    private final Kind kind;
    private final MembershipConfig config;
    private final long seed;
    private final java.util.function.IntFunction<SecuritySettings> security;
    private final BiConsumer<Integer, MemberEvent> onEvent;
    private final List<MurmurNode> nodes = new ArrayList<>();
    private AeronMedia media;
    private MemoryNetwork network;

    /** {@code onEvent} gets (index of the node that saw it, event), on that node's subscriber actor. */
    LocalCluster(
            ActorSystem<?> system,
            Kind kind,
            MembershipConfig config,
            long seed,
            BiConsumer<Integer, MemberEvent> onEvent) {
        this(system, kind, config, seed, i -> SecuritySettings.NONE, onEvent);
    }

    /** As above, node {@code i} with the wire security {@code security.apply(i)}. */
    LocalCluster(
            ActorSystem<?> system,
            Kind kind,
            MembershipConfig config,
            long seed,
            java.util.function.IntFunction<SecuritySettings> security,
            BiConsumer<Integer, MemberEvent> onEvent) {
        this.security = security;
        this.system = system;
        this.kind = kind;
        this.config = config;
        this.seed = seed;
        this.onEvent = onEvent;
        if (kind == Kind.AERON) {
            media = AeronMedia.acquire();
        } else {
            network = new MemoryNetwork(seed);
        }
    }

    /** Starts node {@code n<index>}, its event subscriber attached before anything can happen to it. */
    MurmurNode start() {
        int index = nodes.size();
        Transport transport = kind == Kind.AERON
                ? AeronTransport.bind(media, new Address("127.0.0.1", 0))
                : network.bind(new Address("10.0." + (index / 250) + "." + (index % 250 + 1), 7946));
        MurmurNode node = MurmurNode.start(
                system,
                NodeSettings.of("n" + index, transport.localAddress(), config)
                        .withSeed(seed * 1_000_003L + index)
                        .withSecurity(security.apply(index)),
                transport);
        node.subscribe(
                system.systemActorOf(
                        Behaviors.<MemberEvent>receiveMessage(e -> {
                            onEvent.accept(index, e);
                            return Behaviors.same();
                        }),
                        "events-" + index + "-" + System.identityHashCode(node),
                        org.apache.pekko.actor.typed.Props.empty()),
                true);
        nodes.add(node);
        return node;
    }

    List<MurmurNode> nodes() {
        return nodes;
    }

    MurmurNode get(int index) {
        return nodes.get(index);
    }

    /** Every node but the first joins through the first, all at the same moment. */
    List<CompletableFuture<Integer>> joinAllThroughFirst() {
        Address seedAddress = nodes.get(0).address();
        List<CompletableFuture<Integer>> joins = new ArrayList<>();
        for (MurmurNode n : nodes.subList(1, nodes.size())) {
            joins.add(n.join(seedAddress).thenApply(r -> r.joined()).toCompletableFuture());
        }
        return joins;
    }

    /** Packets and bytes sent by all nodes so far. */
    long[] sentTotals() {
        long packets = 0;
        long bytes = 0;
        for (MurmurNode n : nodes) {
            packets += n.transportStats().packetsSent.sum();
            bytes += n.transportStats().bytesSent.sum();
        }
        return new long[] {packets, bytes};
    }

    @Override
    public void close() {
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (MurmurNode n : nodes) {
            stops.add(n.stop().toCompletableFuture());
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                .orTimeout(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(e -> null)
                .join();
        if (media != null) {
            media.close();
        }
        if (network != null) {
            network.close();
        }
    }
}
