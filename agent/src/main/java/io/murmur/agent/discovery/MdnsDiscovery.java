package io.murmur.agent.discovery;

import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serf's {@code -discover NAME}: this node announces itself over mDNS as an instance of {@code _serf_NAME._tcp}
 * (instance name the node name, port the gossip port), browses for the other instances, asks the network again every
 * 60 s, and joins what it finds: finds that arrive within 100 ms of each other are joined together, and an address is
 * joined once (Serf's {@code mdns.go} timings and rule, {@link DiscoveredPeers}).
 */
public final class MdnsDiscovery implements AutoCloseable {

    /** Serf's poll interval. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(60);

    /** Serf's quiet interval: finds closer together than this are joined in one go. */
    static final Duration QUIET_INTERVAL = Duration.ofMillis(100);

    private static final Logger LOG = LoggerFactory.getLogger(MdnsDiscovery.class);

    /** Joins seeds, as {@code AgentSerf.join} does. */
    public interface Joiner {
        JoinResult join(List<Address> seeds, boolean ignoreOld);
    }

    private final Mdns mdns;
    private final String type;
    private final Joiner joiner;
    private final boolean replay;
    private final boolean ipv4;
    private final boolean ipv6;
    private final DiscoveredPeers peers;
    private final ScheduledExecutorService joins;
    private final ScheduledExecutorService polls;
    private ScheduledFuture<?> quiet;
    private boolean closed;

    private MdnsDiscovery(
            Mdns mdns, String cluster, String node, Joiner joiner, boolean replay, boolean ipv4, boolean ipv6) {
        this.mdns = mdns;
        this.type = serviceType(cluster);
        this.joiner = joiner;
        this.replay = replay;
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.peers = new DiscoveredPeers(node);
        this.joins = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mdns-join-" + cluster));
        this.polls = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mdns-poll-" + cluster));
    }

    /**
     * Announces {@code node} at {@code gossipPort} in {@code cluster} on {@code mdns}, browses, and polls every
     * {@code pollInterval} (the first poll at once). The discovery owns {@code mdns} from here on: it closes it when it
     * closes, and when it fails to start.
     *
     * @param replay join with Serf's replay (past user events are replayed), as {@code -replay}
     * @param ipv4 whether found IPv4 addresses are joined ({@code -mdns-disable-ipv4} clears it)
     * @param ipv6 whether found IPv6 addresses are joined
     */
    public static MdnsDiscovery start(
            Mdns mdns,
            String cluster,
            String node,
            int gossipPort,
            Joiner joiner,
            boolean replay,
            boolean ipv4,
            boolean ipv6,
            Duration pollInterval)
            throws IOException {
        MdnsDiscovery d = new MdnsDiscovery(mdns, cluster, node, joiner, replay, ipv4, ipv6);
        try {
            mdns.browse(d.type, d::found);
            mdns.advertise(new Mdns.Service(d.type, node, gossipPort, "Serf '" + cluster + "' cluster"));
            d.polls.scheduleWithFixedDelay(d::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            d.close(); // the responders and both threads: nobody else holds them to close them
            throw e;
        }
        LOG.info("mDNS: announcing {} as {} on port {}, looking for its peers", node, d.type, gossipPort);
        return d;
    }

    /** Serf's service type for {@code cluster}, fully qualified: {@code _serf_NAME._tcp.local.}. */
    static String serviceType(String cluster) {
        return "_serf_" + cluster + "._tcp.local.";
    }

    /** The address a found instance is joined at: its first IPv4 address, else IPv6 (the families allowed). */
    Optional<Address> joinAddress(Mdns.Found found) {
        for (Class<?> family : List.of(Inet4Address.class, Inet6Address.class)) {
            if ((family == Inet4Address.class ? ipv4 : ipv6)) {
                for (InetAddress a : found.addresses()) {
                    if (family.isInstance(a)) {
                        return Optional.of(new Address(a.getHostAddress(), found.port()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private void found(Mdns.Found found) {
        Optional<Address> address = joinAddress(found);
        if (address.isEmpty() || !peers.found(found.instance(), address.get())) {
            return;
        }
        LOG.debug("mDNS: found {} at {}", found.instance(), address.get());
        synchronized (this) {
            if (closed) { // a find on the responder's thread after close(): the join thread is gone
                return;
            }
            if (quiet != null) {
                quiet.cancel(false);
            }
            quiet = joins.schedule(this::joinFound, QUIET_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void joinFound() {
        List<Address> batch = peers.takePending();
        if (batch.isEmpty()) {
            return;
        }
        try {
            JoinResult result = joiner.join(batch, !replay);
            if (result.joined() > 0) {
                LOG.info("mDNS: joined {} of {}", result.joined(), batch);
            }
            if (!result.failures().isEmpty()) {
                LOG.warn("mDNS: failed to join {}", result.failures());
            }
        } catch (RuntimeException e) {
            LOG.warn("mDNS: joining {} failed", batch, e);
        }
    }

    private void poll() {
        try {
            mdns.poll(type).forEach(this::found);
        } catch (RuntimeException e) {
            LOG.warn("mDNS: polling for {} failed", type, e);
        }
    }

    /** Stops polling and joining, and withdraws the announcement. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        polls.shutdownNow();
        joins.shutdownNow();
        mdns.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
