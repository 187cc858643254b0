package io.murmur.agent.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.murmur.agent.rpc.AgentDrops;
import io.murmur.agent.rpc.AgentSerf;
import io.murmur.membership.Node;
import io.murmur.membership.NodeStats;
import io.murmur.membership.QueueDepths;
import io.murmur.protocol.Rejection;
import io.murmur.serf.MemberStatus;
import io.murmur.serf.Serf;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfMember;
import io.murmur.serf.SerfStats;
import io.murmur.transport.Transport;
import io.murmur.transport.TransportStats;
import io.murmur.transport.aeron.AeronStats;
import io.murmur.transport.aeron.AeronTransport;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * One agent's metrics, named after memberlist's and Serf's go-metrics names where they have one (reference §1.10),
 * in a Prometheus registry. Counters the node keeps in thread-safe adders are read at scrape time; what only its
 * actors know (members, health score, queue depths, serf counters) is asked for by {@link #refresh()} before each
 * scrape; user events, queries and member events received are counted from an event subscription, probe round trips
 * by a {@link ProbeRtt} actor.
 */
final class AgentMetrics implements AutoCloseable {

    /** How long a scrape waits for the node's actors; a gauge keeps its last value when they do not answer. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

    private final PrometheusMeterRegistry registry;
    private final ActorSystem<?> system;
    private final ActorRef<Serf.Command> serf;
    private final AgentSerf api;
    private final AutoCloseable events;
    private ActorRef<Node.ProbeAcked> probes;
    private ActorRef<Node.Command> node;
    private volatile NodeStats nodeStats;
    private volatile Snapshot last = new Snapshot(List.of(), 0, new QueueDepths(0, 0), null);

    private record Snapshot(List<SerfMember> members, int healthScore, QueueDepths queues, SerfStats serf) {}

    AgentMetrics(
            ActorSystem<?> system,
            ActorRef<Serf.Command> serf,
            CountingAgentSerf api,
            Transport network,
            AgentDrops drops) {
        TransportStats transport = network.stats();
        this.registry = api.registry();
        this.system = system;
        this.serf = serf;
        this.api = api;
        for (MemberStatus s :
                List.of(MemberStatus.ALIVE, MemberStatus.LEAVING, MemberStatus.LEFT, MemberStatus.FAILED)) {
            Gauge.builder(
                            "serf.members",
                            this,
                            m -> m.last.members.stream()
                                    .filter(x -> x.status() == s)
                                    .count())
                    .description("Members as this node sees them, by status")
                    .tag("status", s.serfName())
                    .register(registry);
        }
        gauge("memberlist.health.score", m -> m.last.healthScore, "Lifeguard's local health score (0 is healthy)");
        gauge("memberlist.queue.broadcasts", m -> m.last.queues.membership(), "Membership broadcasts waiting");
        gauge("serf.queue.broadcasts", m -> m.last.queues.user(), "Serf intents, events and queries waiting");
        gauge(
                "serf.queries.in.flight",
                m -> m.last.serf == null ? 0 : m.last.serf.queriesInFlight(),
                "Queries asked, not done");
        counter("serf.query.relayed", m -> m.last.serf == null ? 0 : m.last.serf.relayed(), "Responses relayed", null);
        counter(
                "serf.events.duplicate",
                m -> m.last.serf == null ? 0 : m.last.serf.duplicateEvents(),
                "Duplicates",
                null);
        for (Rejection r : Rejection.values()) {
            FunctionCounter.builder("serf.messages.dropped", this, m -> m.serfDrops(r))
                    .description("Serf messages dropped, by reason")
                    .tag("reason", r.name().toLowerCase(Locale.ROOT))
                    .register(registry);
            FunctionCounter.builder("murmur.packets.dropped", this, m -> m.membershipDrops(r))
                    .description("Inbound packets and reliable-path requests the membership layer dropped, by reason")
                    .tag("reason", r.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        counter(
                "murmur.requests.refused",
                m -> m.nodeStats == null ? 0 : m.nodeStats.requestsRefused.sum(),
                "Push/pull requests refused: too many already being served",
                null);

        traffic("memberlist.udp.sent.bytes", transport.bytesSent, "bytes", "Bytes sent");
        traffic("memberlist.udp.received.bytes", transport.bytesReceived, "bytes", "Bytes received");
        traffic("memberlist.udp.sent.packets", transport.packetsSent, "packets", "Packets sent");
        traffic("memberlist.udp.received.packets", transport.packetsReceived, "packets", "Packets received");
        FunctionCounter.builder("murmur.transport.dropped", transport.packetsDroppedOut, LongAdder::sum)
                .description("Packets the transport dropped, by direction")
                .baseUnit("packets")
                .tag("direction", "out")
                .register(registry);
        FunctionCounter.builder("murmur.transport.dropped", transport.packetsDroppedIn, LongAdder::sum)
                .description("Packets the transport dropped, by direction")
                .baseUnit("packets")
                .tag("direction", "in")
                .register(registry);
        traffic("murmur.transport.requests.sent", transport.requestsSent, null, "Reliable-path requests sent");
        traffic("murmur.transport.requests.failed", transport.requestsFailed, null, "Reliable-path requests failed");
        if (network instanceof AeronTransport aeron) {
            aeronCounters(aeron.aeronStats());
        }
        for (AgentDrops.Where where : AgentDrops.Where.values()) {
            FunctionCounter.builder("murmur.agent.dropped", drops, d -> d.count(where))
                    .description("What the agent dropped because its consumer fell behind, by where: events for the "
                            + "handler scripts, records of RPC streams, monitors and queries")
                    .tag("where", where.tag())
                    .register(registry);
        }

        var received = registry.counter("serf.events");
        var queries = registry.counter("serf.queries");
        Map<SerfEvent.Type, io.micrometer.core.instrument.Counter> memberEvents =
                new java.util.EnumMap<>(SerfEvent.Type.class);
        for (SerfEvent.Type t : SerfEvent.Type.values()) {
            if (t.isMemberEvent()) {
                memberEvents.put(
                        t, registry.counter("serf.member." + t.serfName().substring("member-".length())));
            }
        }
        this.events = api.subscribe(e -> {
            if (e instanceof SerfEvent.User) {
                received.increment();
            } else if (e instanceof SerfEvent.Query) {
                queries.increment();
            } else if (e instanceof SerfEvent.Members m) {
                memberEvents.get(m.type()).increment(m.members().size());
            }
        });
    }

    /**
     * The Aeron transport's own counters: packets held until their publication connected, offers retried, and what it
     * refused or threw away, by reason (the packets among them are also in {@code murmur_transport_dropped_packets}).
     */
    private void aeronCounters(AeronStats aeron) {
        traffic(
                "murmur.transport.held",
                aeron.packetsHeld,
                "packets",
                "Packets held until their publication connected (each then sent, or dropped when held too long)");
        traffic(
                "murmur.transport.offer.retries",
                aeron.offerRetries,
                null,
                "Offers retried because the publication was back-pressured or in an admin action");
        Map<String, LongAdder> discarded = new java.util.LinkedHashMap<>();
        discarded.put("hold_expired", aeron.packetsExpiredInHold);
        discarded.put("route_limit", aeron.routesRefused);
        discarded.put("request_limit", aeron.requestsRefused);
        discarded.put("reassembly", aeron.messagesDiscarded);
        discarded.put("response_unmatched", aeron.responsesUnmatched);
        discarded.put("response_not_sent", aeron.responsesNotSent);
        discarded.put("listener_error", aeron.listenerErrors);
        discarded.forEach(
                (reason, adder) -> FunctionCounter.builder("murmur.transport.discarded", adder, LongAdder::sum)
                        .description("What the Aeron transport refused or threw away, by reason")
                        .tag("reason", reason)
                        .register(registry));
    }

    /**
     * Finds the membership node underneath the serf node: subscribes the probe histogram to it and reads its inbound
     * counters (drops by reason) from then on.
     */
    void listenToNode() {
        var rtt = ProbeRtt.timer(registry);
        node = ask(serf, Serf.GetNode::new);
        if (node != null) {
            nodeStats = ask(node, Node.GetStats::new);
            probes = system.systemActorOf(
                    ProbeRtt.create(rtt),
                    "metrics-probes-" + api.name().hashCode() + "-" + System.nanoTime(),
                    Props.empty());
            node.tell(new Node.SubscribeProbes(probes));
        }
    }

    /** Asks the node's actors for what the gauges show, then writes the Prometheus text. */
    String scrape() {
        refresh();
        return registry.scrape();
    }

    void refresh() {
        List<SerfMember> members = api.members();
        Snapshot before = last;
        Integer health = node == null ? null : ask(node, Node.GetHealthScore::new);
        QueueDepths queues = node == null ? null : ask(node, Node.GetQueueDepths::new);
        SerfStats stats = ask(serf, Serf.GetStats::new);
        if (nodeStats == null && node != null) {
            nodeStats = ask(node, Node.GetStats::new); // the node did not answer in time before
        }
        last = new Snapshot(
                members,
                health != null ? health : before.healthScore,
                queues != null ? queues : before.queues,
                stats != null ? stats : before.serf);
    }

    private double membershipDrops(Rejection r) {
        NodeStats s = nodeStats;
        return s == null ? 0 : s.droppedFor(r);
    }

    private double serfDrops(Rejection r) {
        SerfStats s = last.serf;
        return s == null ? 0 : s.dropped().getOrDefault(r, 0L);
    }

    private void gauge(String name, ToDoubleFunction<AgentMetrics> f, String description) {
        Gauge.builder(name, this, f).description(description).register(registry);
    }

    private void counter(String name, ToDoubleFunction<AgentMetrics> f, String description, String unit) {
        FunctionCounter.builder(name, this, f)
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }

    private void traffic(String name, LongAdder adder, String unit, String description) {
        FunctionCounter.builder(name, adder, LongAdder::sum)
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }

    private <T, C> T ask(ActorRef<C> to, java.util.function.Function<ActorRef<T>, C> command) {
        try {
            return AskPattern.ask(to, command::apply, ASK_TIMEOUT, system.scheduler())
                    .toCompletableFuture()
                    .get(ASK_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            events.close();
        } catch (Exception e) {
            // the subscription's actor is gone already
        }
        if (probes != null) {
            system.classicSystem().stop(Adapter.toClassic(probes));
        }
    }
}
