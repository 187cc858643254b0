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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine;

/**
 * Many nodes in one process, on loopback Aeron or on the in-memory network: membership nodes ({@link #membership})
 * or anything else built on a transport (serf nodes, say). The demo and the benchmarks run on it.
 *
 * @param <T> what runs on each transport, e.g. {@link MurmurNode}
 */
final class LocalCluster<T> implements AutoCloseable {

    enum Kind {
        AERON,
        MEMORY;

        /** @throws CommandLine.ParameterException for anything but aeron or memory (exit code 2) */
        static Kind parse(String transport, CommandLine.Model.CommandSpec spec) {
            try {
                return valueOf(transport.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--transport must be aeron or memory, not '" + transport + "'");
            }
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Starts what runs on node {@code index}, named and seeded by {@code settings}, which owns {@code transport}. */
    interface Starter<T> {
        T start(int index, NodeSettings settings, Transport transport);
    }

    private final Kind kind;
    private final MembershipConfig config;
    private final long seed;
    private final Starter<T> starter;
    private final Function<T, CompletionStage<Done>> stopper;
    private IntFunction<SecuritySettings> security = i -> SecuritySettings.NONE;
    private final List<T> nodes = new ArrayList<>();
    private final List<Transport> transports = new ArrayList<>();
    private AeronMedia media;
    private MemoryNetwork network;

    /** {@code stopper} stops a node and closes its transport. */
    LocalCluster(
            Kind kind,
            MembershipConfig config,
            long seed,
            Starter<T> starter,
            Function<T, CompletionStage<Done>> stopper) {
        this.kind = kind;
        this.config = config;
        this.seed = seed;
        this.starter = starter;
        this.stopper = stopper;
        if (kind == Kind.AERON) {
            media = AeronMedia.acquire();
        } else {
            network = new MemoryNetwork(seed);
        }
    }

    /**
     * Membership nodes; {@code onEvent} gets (index of the node that saw it, event), on that node's subscriber actor,
     * attached before anything can happen to the node.
     */
    static LocalCluster<MurmurNode> membership(
            ActorSystem<?> system,
            Kind kind,
            MembershipConfig config,
            long seed,
            BiConsumer<Integer, MemberEvent> onEvent) {
        return new LocalCluster<>(
                kind,
                config,
                seed,
                (index, settings, transport) -> {
                    MurmurNode node = MurmurNode.start(system, settings, transport);
                    node.subscribe(
                            system.systemActorOf(
                                    Behaviors.<MemberEvent>receiveMessage(e -> {
                                        onEvent.accept(index, e);
                                        return Behaviors.same();
                                    }),
                                    "events-" + index + "-" + System.identityHashCode(node),
                                    org.apache.pekko.actor.typed.Props.empty()),
                            true);
                    return node;
                },
                MurmurNode::stop);
    }

    /** Node {@code i} starts with the wire security {@code security.apply(i)} (none unless set). */
    LocalCluster<T> withSecurity(IntFunction<SecuritySettings> newSecurity) {
        this.security = newSecurity;
        return this;
    }

    /** Starts node {@code n<index>} on a new transport. */
    T start() {
        int index = nodes.size();
        Transport transport = kind == Kind.AERON
                ? AeronTransport.bind(media, new Address("127.0.0.1", 0))
                : network.bind(new Address("10.0." + (index / 250) + "." + (index % 250 + 1), 7946));
        NodeSettings settings = NodeSettings.of("n" + index, transport.localAddress(), config)
                .withSeed(seed * 1_000_003L + index)
                .withSecurity(security.apply(index));
        T node = starter.start(index, settings, transport);
        transports.add(transport);
        nodes.add(node);
        return node;
    }

    List<T> nodes() {
        return nodes;
    }

    T get(int index) {
        return nodes.get(index);
    }

    Address address(int index) {
        return transports.get(index).localAddress();
    }

    /** Every node but the first joins through the first, all at the same moment. */
    <R> List<CompletableFuture<R>> joinAllThroughFirst(BiFunction<T, Address, CompletionStage<R>> join) {
        Address seedAddress = address(0);
        List<CompletableFuture<R>> joins = new ArrayList<>();
        for (T n : nodes.subList(1, nodes.size())) {
            joins.add(join.apply(n, seedAddress).toCompletableFuture());
        }
        return joins;
    }

    /** Packets and bytes sent by all nodes so far. */
    long[] sentTotals() {
        long packets = 0;
        long bytes = 0;
        for (Transport t : transports) {
            packets += t.stats().packetsSent.sum();
            bytes += t.stats().bytesSent.sum();
        }
        return new long[] {packets, bytes};
    }

    /**
     * The Aeron counters of all nodes, summed: "held 12, expired 0, ..." (an empty string on the in-memory network).
     */
    String aeronCounters() {
        long held = 0, expired = 0, refused = 0, unmatched = 0, notSent = 0;
        for (Transport t : transports) {
            if (t instanceof AeronTransport a) {
                io.murmur.transport.aeron.AeronStats s = a.aeronStats();
                held += s.packetsHeld.sum();
                expired += s.packetsExpiredInHold.sum();
                refused += s.requestsRefused.sum();
                unmatched += s.responsesUnmatched.sum();
                notSent += s.responsesNotSent.sum();
            }
        }
        return kind == Kind.AERON
                ? String.format(
                        Locale.ROOT,
                        "packets held %d (expired %d), requests refused %d, responses late %d, not sent %d",
                        held,
                        expired,
                        refused,
                        unmatched,
                        notSent)
                : "";
    }

    @Override
    public void close() {
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (T n : nodes) {
            stops.add(stopper.apply(n).toCompletableFuture());
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
