package io.murmur.agent;

import ch.qos.logback.classic.Level;
import com.typesafe.config.ConfigFactory;
import io.murmur.agent.config.AgentConfig;
import io.murmur.agent.config.ConfigOptions;
import io.murmur.agent.config.InterfaceAddress;
import io.murmur.agent.config.NetworkOptions;
import io.murmur.agent.config.RetryJoin;
import io.murmur.agent.config.SyslogOptions;
import io.murmur.agent.config.TagsFile;
import io.murmur.agent.discovery.MdnsDiscovery;
import io.murmur.agent.logging.AgentLogging;
import io.murmur.agent.rpc.LogMonitor;
import io.murmur.membership.JoinResult;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.protocol.Keyring;
import io.murmur.serf.SerfConfig;
import io.murmur.serf.SerfSettings;
import io.murmur.store.KeyringFile;
import io.murmur.store.RealFileSystem;
import io.murmur.transport.aeron.AeronMedia;
import io.murmur.transport.aeron.AeronSettings;
import io.murmur.transport.aeron.AeronTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code murmur agent}: a serf node with Serf's RPC port, so that the {@code serf} command line drives it. Flags carry
 * the names of {@code serf agent}'s. Runs until SIGINT (graceful leave, exit 0), SIGTERM (no leave, exit 1, as Serf
 * without {@code leave_on_terminate}) or an RPC {@code leave}.
 */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description = "Runs a serf-compatible agent: gossip over Aeron UDP, Serf's RPC protocol for the serf CLI.")
final class AgentCommand implements java.util.concurrent.Callable<Integer> {

    private enum Exit {
        INTERRUPT,
        TERMINATE,
        LEFT_OVER_RPC,
        RETRY_JOIN_FAILED
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "-node", description = "Node name (default: the host name).")
    String node;

    @Option(names = "-bind", defaultValue = "0.0.0.0:7946", description = "Address to bind gossip to (host:port).")
    String bind;

    @Option(
            names = "-advertise",
            description = "Address to advertise to the cluster (default: the bind address, or "
                    + "this host's first private IPv4 address when binding to 0.0.0.0).")
    String advertise;

    @Option(names = "-rpc-addr", defaultValue = "127.0.0.1:7373", description = "Address of the RPC port.")
    String rpcAddr;

    @Option(
            names = "-http-addr",
            description =
                    "Address of the HTTP API: /health, /v1/members, /metrics (default: off; e.g. 127.0.0.1:7380).")
    String httpAddr;

    @Option(names = "-rpc-auth", defaultValue = "", description = "Token RPC clients must present.")
    String rpcAuth;

    @Option(names = "-join", description = "Address of an agent to join at start (repeatable).")
    List<String> join = new ArrayList<>();

    @Option(names = "-replay", description = "Replay past user events when joining at start.")
    boolean replay;

    @Option(names = "-tag", description = "Tag key=value (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "-profile", defaultValue = "lan", description = "Timing profile: lan, wan or local.")
    String profile;

    @Option(names = "-snapshot", description = "Snapshot file: members and clocks, rejoined after a restart.")
    Path snapshot;

    @Option(names = "-encrypt", description = "Base64 key (16, 24 or 32 bytes) for the keyring.")
    String encrypt;

    @Option(names = "-keyring-file", description = "Keyring file (JSON array of base64 keys, primary first).")
    Path keyringFile;

    @Option(names = "-log-level", defaultValue = "INFO", description = "TRACE, DEBUG, INFO, WARN or ERR.")
    String logLevel;

    @CommandLine.Mixin
    ConfigOptions config;

    @CommandLine.Mixin
    NetworkOptions network;

    @CommandLine.Mixin
    SyslogOptions syslog;

    /** Files only, as in Serf (no flags). */
    private boolean leaveOnTerminate;

    private boolean skipLeaveOnInterrupt;

    /**
     * An agent's JVM runs one node, so its threads may sleep longer when idle. Aeron's driver and poller park 20 ms
     * whenever they find no work (instead of 1 ms, doubling to 2 ms), and Pekko's scheduler ticks every 20 ms (instead
     * of 10 ms); receivers report to each sender every 500 ms, as in every JVM now (the agent did so first). An agent
     * keeps a stream open to nearly every peer and Aeron heartbeats each every 100 ms, so with dozens of peers there is
     * work every few milliseconds and the first park, not the longest, decides how often the threads wake. Measured on
     * two cores: fifty lone agents used 98 % of a core before and 63 % after; a converged cluster of twenty, 109 %
     * before and 76 % after. A packet may wait up to 20 ms more at each end and a timer fire 20 ms late, against the
     * lan profile's 200 ms gossip interval and 500 ms probe timeout. Routes stay open 30 s without traffic (instead of
     * 5 s): at 50 members a peer hears from this agent every 3 s or so on average, and a 5 s timeout kept closing and
     * reopening a fifth of the streams, each time a new Aeron handshake and two fresh log buffers (fifty agents
     * converged in 79 s with 5 s, and in 75 s, most of them by 37 s instead of 68 s, with 30 s). A packet to a peer
     * whose stream is still connecting is held up to 5 s (instead of 1 s): when dozens of agents join at once on a few
     * cores, a handshake can take longer than a second, and the alive messages dropped meanwhile left an agent or two
     * without a member until the next push/pull (fifty agents converged in 31-88 s, median 50 s, with 1 s, and in 29-34
     * s, median 31 s, with 5 s). The driver runs on the poller's thread (Aeron's INVOKER mode): one thread and one
     * park fewer, and a datagram the driver reads is delivered in the same duty cycle.
     */
    static final AeronSettings ONE_NODE_MEDIA = AeronSettings.defaults().toBuilder()
            .driverMaxPark(Duration.ofMillis(20))
            .pollerMaxPark(Duration.ofMillis(20))
            .minPark(Duration.ofMillis(20))
            .publicationIdleTimeout(Duration.ofSeconds(30))
            .holdMaxAge(Duration.ofSeconds(5))
            .driverInPoller(true)
            .build();

    private static final String ONE_NODE_PEKKO = "pekko.scheduler.tick-duration = 20ms";

    @Override
    public Integer call() throws Exception {
        applyConfigFiles();
        Level level = LogMonitor.parseLevel(logLevel)
                .orElseThrow(
                        () -> new CommandLine.ParameterException(spec.commandLine(), "bad -log-level " + logLevel));
        AgentLogging logging = AgentLogging.start(level);
        if (syslog.enabled) {
            try {
                logging.sendToSyslog(syslog.facility, "localhost", 514);
            } catch (IllegalStateException e) {
                System.err.println("Syslog setup failed: " + e.getMessage());
                return 1;
            }
        }
        LogMonitor logs = logging.monitor();
        SerfSettings settings = settings();
        Address bindAt = bindAddress(settings.node().self().address());
        InetSocketAddress rpc = socketAddress(rpcAddr, "-rpc-addr");

        ActorSystem<Void> system = ActorSystem.create(
                Behaviors.empty(),
                "murmur-agent",
                ConfigFactory.parseString(ONE_NODE_PEKKO).withFallback(ConfigFactory.load()));
        AeronMedia media = AeronMedia.acquire(ONE_NODE_MEDIA);
        SerfAgent agent = null;
        RetryJoin retry = null;
        MdnsDiscovery discovery = null;
        try {
            agent = SerfAgent.start(
                    system,
                    settings,
                    AeronTransport.bind(media, bindAt),
                    rpc,
                    rpcAuth,
                    logs,
                    config.tagsFile,
                    network.protocol);
            agent.startEventHandlers(config.handlerSpecs(), config.eventHandlerTimeout);
            new Reload(this::reread, agent, logging, config.handlerSpecs(), settings.tags(), config.eventHandlerTimeout)
                    .onHangup();
            try {
                discovery = network.startDiscovery(
                        settings.name(), settings.node().self().address(), agent.api()::join, replay);
            } catch (IOException e) {
                System.err.println("Error starting mDNS discovery: " + e.getMessage());
                return 1;
            }
            if (httpAddr != null) {
                Address h = socketAddressText(httpAddr, "-http-addr", 7380);
                agent.startHttp(new InetSocketAddress(h.host(), h.port()));
            }
            System.out.printf(
                    "==> Murmur agent running!%n    Node name: '%s'%n    Bind addr: '%s'%n    Advertise: '%s'%n"
                            + "     RPC addr: '%s'%n    Encrypted: %s%n     Snapshot: %s%n      Profile: %s%n",
                    settings.name(),
                    bindAt,
                    settings.node().self().address(),
                    rpcAddr,
                    settings.keyring() != null,
                    snapshot != null,
                    profile);
            if (discovery != null) {
                System.out.printf(" mDNS cluster: '%s'%n", network.discover);
            }
            if (!join.isEmpty()) {
                List<Address> seeds = new ArrayList<>();
                for (String s : join) {
                    seeds.add(s.indexOf(':') < 0 ? new Address(s, 7946) : Address.parse(s));
                }
                JoinResult joined = agent.join(seeds, replay);
                if (joined.joined() == 0) {
                    System.err.println("Error joining the cluster: " + joined.failures());
                    return 1;
                }
                System.out.println("==> Joined " + joined.joined() + " node(s)");
            }
            retry = config.startRetryJoin(agent.api(), replay);
            return runUntilSignal(agent, retry);
        } finally {
            if (retry != null) {
                retry.close();
            }
            if (discovery != null) {
                discovery.close();
            }
            if (agent != null) {
                agent.close();
            }
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            media.close();
        }
    }

    private int runUntilSignal(SerfAgent agent, RetryJoin retry) {
        CompletableFuture<Exit> exit = new CompletableFuture<>();
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> {
            if (!exit.complete(Exit.INTERRUPT)) {
                Runtime.getRuntime().halt(1); // a second interrupt during the leave: Serf's force exit
            }
        });
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> exit.complete(Exit.TERMINATE));
        agent.leftOverRpc().thenRun(() -> exit.complete(Exit.LEFT_OVER_RPC));
        if (retry != null) {
            retry.result().thenAccept(joined -> {
                if (!joined) {
                    exit.complete(Exit.RETRY_JOIN_FAILED);
                }
            });
        }
        switch (exit.join()) {
            case INTERRUPT -> {
                System.out.println("==> Caught signal: interrupt");
                if (skipLeaveOnInterrupt) {
                    return 1;
                }
                System.out.println("==> Gracefully shutting down agent...");
                Optional<String> error = agent.leave();
                if (error.isPresent()) {
                    System.err.println("Error: " + error.get());
                    return 1;
                }
                return 0;
            }
            case TERMINATE -> {
                System.out.println("==> Caught signal: terminated");
                if (leaveOnTerminate) {
                    System.out.println("==> Gracefully shutting down agent...");
                    agent.leave().ifPresent(e -> System.err.println("Error: " + e));
                }
                return 1;
            }
            case RETRY_JOIN_FAILED -> {
                System.err.println("==> Max join retry exhausted, exiting");
                return 1;
            }
            default -> {
                System.out.println("==> Left the cluster over RPC: shutting down");
                return 0;
            }
        }
    }

    SerfSettings settings() throws Exception {
        Address bindAddress = socketAddressText(bind, "-bind", 7946);
        String name = node != null ? node : InetAddress.getLocalHost().getHostName();
        Address advertised = advertise != null
                ? socketAddressText(advertise, "-advertise", bindAddress.port())
                : new Address(
                        isWildcard(bindAddress.host()) ? privateAddress() : bindAddress.host(), bindAddress.port());
        NodeSettings node = NodeSettings.of(name, advertised, Profiles.load(profile, spec));
        SerfSettings settings = SerfSettings.of(node).withConfig(config.serfConfig(SerfConfig.agentDefaults()));
        settings = settings.withTags(tags());
        if (config.tagsFile != null && !Files.exists(config.tagsFile)) {
            TagsFile.write(config.tagsFile, settings.tags());
        }
        if (snapshot != null) {
            settings = settings.withSnapshot(snapshot, RealFileSystem.INSTANCE);
        }
        Keyring keyring = null;
        if (keyringFile != null && Files.exists(keyringFile)) {
            keyring = KeyringFile.read(RealFileSystem.INSTANCE, keyringFile);
            if (encrypt != null) {
                System.err.println("==> -encrypt ignored: the keyring file " + keyringFile + " exists");
            }
        } else if (encrypt != null) {
            try {
                keyring = Keyring.of(List.of(Keyring.decodeKey(encrypt)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "bad -encrypt key: " + e.getMessage());
            }
            if (keyringFile != null) {
                KeyringFile.write(RealFileSystem.INSTANCE, keyringFile, keyring);
            }
        }
        if (keyring != null) {
            settings = settings.withKeyring(keyring, keyringFile);
        }
        return settings;
    }

    /** The node's tags: an existing tags file's, else the files' with the {@code -tag}s over them; then -role. */
    Map<String, String> tags() throws java.io.IOException {
        Map<String, String> tagMap = new LinkedHashMap<>(config.baseTags(!tags.isEmpty()));
        for (String t : tags) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "-tag expects key=value, got " + t);
            }
            tagMap.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return config.withRole(tagMap);
    }

    /** The configuration read again (SIGHUP): a command with this one's arguments, the files applied anew. */
    AgentCommand reread() {
        AgentCommand fresh = new AgentCommand();
        new CommandLine(fresh)
                .parseArgs(spec.commandLine().getParseResult().expandedArgs().toArray(String[]::new));
        fresh.applyConfigFiles();
        return fresh;
    }

    /** The configuration files under the flags: a flag given on the command line wins, lists are appended. */
    void applyConfigFiles() {
        AgentConfig files = config.load();
        node = config.fromFile("-node", node, files.nodeName());
        bind = config.fromFile("-bind", bind, files.bind());
        advertise = config.fromFile("-advertise", advertise, files.advertise());
        rpcAddr = config.fromFile("-rpc-addr", rpcAddr, files.rpcAddr());
        rpcAuth = config.fromFile("-rpc-auth", rpcAuth, files.rpcAuth());
        profile = config.fromFile("-profile", profile, files.profile());
        snapshot = config.fromFile("-snapshot", snapshot, files.snapshotPath());
        encrypt = config.fromFile("-encrypt", encrypt, files.encryptKey());
        keyringFile = config.fromFile("-keyring-file", keyringFile, files.keyringFile());
        logLevel = config.fromFile("-log-level", logLevel, files.logLevel());
        replay = replay || Boolean.TRUE.equals(files.replayOnJoin());
        join.addAll(0, files.startJoin());
        leaveOnTerminate = Boolean.TRUE.equals(files.leaveOnTerminate());
        skipLeaveOnInterrupt = Boolean.TRUE.equals(files.skipLeaveOnInterrupt());
        network.apply(files, config);
        syslog.apply(files);
        bind = network.bindOnInterface(bind, InterfaceAddress.SYSTEM);
    }

    /**
     * Aeron names the sending node by the address its transport is bound to, so a wildcard bind binds the advertised
     * host (with the bind port) instead.
     */
    private Address bindAddress(Address advertised) {
        Address b = socketAddressText(bind, "-bind", 7946);
        return isWildcard(b.host()) ? new Address(advertised.host(), b.port()) : b;
    }

    private Address socketAddressText(String text, String flag, int defaultPort) {
        try {
            return text.indexOf(':') < 0 ? new Address(text, defaultPort) : Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bad " + flag + ": " + e.getMessage());
        }
    }

    private InetSocketAddress socketAddress(String text, String flag) {
        Address a = socketAddressText(text, flag, 7373);
        return new InetSocketAddress(a.host(), a.port());
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** This host's first private IPv4 address on an interface that is up, else loopback (as Serf's agent picks). */
    private static String privateAddress() throws java.net.SocketException {
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (var a : java.util.Collections.list(nif.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && a.isSiteLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        return "127.0.0.1";
    }
}
