package io.murmur.agent;

import io.murmur.agent.handlers.EventHandlers;
import io.murmur.agent.handlers.HandlerSpec;
import io.murmur.agent.http.AgentHttpServer;
import io.murmur.agent.http.CountingAgentSerf;
import io.murmur.agent.rpc.ActorAgentSerf;
import io.murmur.agent.rpc.AgentDrops;
import io.murmur.agent.rpc.AgentSerf;
import io.murmur.agent.rpc.LogMonitor;
import io.murmur.agent.rpc.RpcServer;
import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import io.murmur.serf.Serf;
import io.murmur.serf.SerfSettings;
import io.murmur.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * A running agent: one serf node and its RPC port. The {@code agent} command runs one; tests run several in one
 * actor system.
 */
final class SerfAgent implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SerfAgent.class);
    private static final java.time.Duration SELF_LISTED_WITHIN = java.time.Duration.ofSeconds(10);

    private final ActorSystem<?> system;
    private final ActorRef<Serf.Command> serf;
    private final AgentSerf api;
    private final RpcServer rpc;
    private final CompletableFuture<Void> leftOverRpc = new CompletableFuture<>();
    private SerfSettings settings;
    private EventHandlers handlers;
    private final CountingAgentSerf counted;
    private final Transport transport;
    private final AgentDrops drops;
    private volatile AgentHttpServer http;

    private SerfAgent(
            ActorSystem<?> system,
            ActorRef<Serf.Command> serf,
            CountingAgentSerf api,
            RpcServer rpc,
            Transport transport,
            AgentDrops drops) {
        this.system = system;
        this.drops = drops;
        this.serf = serf;
        this.api = api;
        this.rpc = rpc;
        this.counted = api;
        this.transport = transport;
    }

    /**
     * Starts the serf node on {@code transport} and the RPC server at {@code rpcAddress}.
     *
     * @param rpcAuth the token RPC clients must present; empty for none
     * @param logs the {@code monitor} command's log source; null for none
     */
    static SerfAgent start(
            ActorSystem<?> system,
            SerfSettings settings,
            Transport transport,
            InetSocketAddress rpcAddress,
            String rpcAuth,
            LogMonitor logs)
            throws IOException {
        return start(system, settings, transport, rpcAddress, rpcAuth, logs, null);
    }

    /** As above; with a {@code tagsFile}, tag changes over RPC are persisted there (Serf's {@code -tags-file}). */
    static SerfAgent start(
            ActorSystem<?> system,
            SerfSettings settings,
            Transport transport,
            InetSocketAddress rpcAddress,
            String rpcAuth,
            LogMonitor logs,
            java.nio.file.Path tagsFile)
            throws IOException {
        return start(system, settings, transport, rpcAddress, rpcAuth, logs, tagsFile, AgentSerf.DEFAULT_PROTOCOL);
    }

    /** As above; the RPC reports this node's serf protocol as {@code protocolVersion} (Serf's {@code -protocol}). */
    static SerfAgent start(
            ActorSystem<?> system,
            SerfSettings settings,
            Transport transport,
            InetSocketAddress rpcAddress,
            String rpcAuth,
            LogMonitor logs,
            java.nio.file.Path tagsFile,
            int protocolVersion)
            throws IOException {
        ActorRef<Serf.Command> serf =
                system.systemActorOf(Serf.create(settings, transport), "serf-" + settings.name(), Props.empty());
        AgentSerf node = new ActorAgentSerf(system, serf, settings, protocolVersion);
        awaitListsItself(node, settings.name());
        CountingAgentSerf api = new CountingAgentSerf(
                tagsFile == null ? node : new io.murmur.agent.config.TagsFileSerf(node, tagsFile));
        CompletableFuture<Void> left = new CompletableFuture<>();
        // The stats read the handler scripts when asked: none before startEventHandlers, whichever replaced them since.
        AtomicReference<SerfAgent> started = new AtomicReference<>();
        Supplier<Map<String, String>> handlerStats = () -> {
            SerfAgent a = started.get();
            return HandlerSpec.scriptsByFilter(a == null ? List.of() : a.handlerSpecs());
        };
        AgentDrops drops = new AgentDrops();
        RpcServer rpc;
        try {
            rpc = RpcServer.start(rpcAddress, api, rpcAuth, logs, () -> left.complete(null), handlerStats, drops);
        } catch (IOException e) {
            system.classicSystem().stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(serf));
            throw e;
        }
        SerfAgent agent = new SerfAgent(system, serf, api, rpc, transport, drops);
        agent.settings = settings;
        left.whenComplete((v, e) -> agent.leftOverRpc.complete(null));
        started.set(agent);
        return agent;
    }

    /**
     * Waits, at most {@link #SELF_LISTED_WITHIN}, until the node lists itself, so that no client is served before: the
     * node hears of its own join from its membership a moment after it starts, and a query asked before would expect
     * nobody and end at once, a {@code members} would not show the agent. A node that never lists itself is logged and
     * served anyway.
     */
    private static void awaitListsItself(AgentSerf node, String name) {
        long deadline = System.nanoTime() + SELF_LISTED_WITHIN.toNanos();
        while (node.members().stream().noneMatch(m -> m.name().equals(name))) {
            if (System.nanoTime() > deadline) {
                LOG.warn("{} does not list itself after {}; serving RPC anyway", name, SELF_LISTED_WITHIN);
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }

    /**
     * Runs {@code specs} for this node's events, on a thread of their own; {@code timeout} kills a script that runs
     * longer (zero: never).
     */
    synchronized void startEventHandlers(List<HandlerSpec> specs, java.time.Duration timeout) {
        if (handlers == null && !specs.isEmpty()) {
            handlers = EventHandlers.start(
                    api, settings.tags(), specs, timeout, settings.serf().queryResponseSizeLimit(), drops);
        }
    }

    /** The handler scripts running now, in the order they run; none before {@link #startEventHandlers}. */
    synchronized List<HandlerSpec> handlerSpecs() {
        return handlers == null ? List.of() : handlers.specs();
    }

    /**
     * SIGHUP: later events run {@code specs} (Serf swaps its scripts so); a script already running finishes. Starts
     * the handlers' thread if none ran yet ({@code timeout} applies to it; a running thread keeps its own).
     */
    synchronized void replaceEventHandlers(List<HandlerSpec> specs, java.time.Duration timeout) {
        if (handlers == null) {
            startEventHandlers(specs, timeout);
        } else {
            handlers.replace(specs);
        }
    }

    /** Starts the HTTP API ({@code -http-addr}): health, members and Prometheus metrics. */
    SerfAgent startHttp(InetSocketAddress address) throws IOException {
        http = AgentHttpServer.start(address, system, serf, counted, transport, drops);
        return this;
    }

    /** The HTTP API's port; -1 when it is off. */
    int httpPort() {
        AgentHttpServer h = http;
        return h == null ? -1 : h.port();
    }

    AgentSerf api() {
        return api;
    }

    int rpcPort() {
        return rpc.port();
    }

    /** Completes when a client's {@code leave} was answered: the agent should shut down. */
    CompletableFuture<Void> leftOverRpc() {
        return leftOverRpc;
    }

    JoinResult join(List<Address> seeds, boolean replay) {
        return api.join(seeds, !replay);
    }

    /** Graceful leave; an error text when it failed. */
    java.util.Optional<String> leave() {
        return api.leave();
    }

    /** Closes the HTTP and RPC ports and stops the node (its transport with it). */
    @Override
    public void close() {
        synchronized (this) {
            if (handlers != null) {
                handlers.close();
            }
        }
        if (http != null) {
            http.close();
        }
        rpc.close();
        system.classicSystem().stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(serf));
    }
}
