package io.murmur.agent.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.murmur.agent.rpc.ActorAgentSerf;
import io.murmur.agent.rpc.AgentSerf;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.serf.Serf;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfSettings;
import io.murmur.transport.memory.MemoryNetwork;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two serf nodes that know nothing of each other find each other through real mDNS (JmDNS) on the loopback interface
 * and join. The nodes gossip over the in-memory network at loopback addresses, which is what their announcements
 * carry. Skipped where loopback carries no multicast; nothing is sent off this machine.
 */
class MdnsLoopbackTest {

    private static final long SEED = 23;

    private ActorSystem<Void> system;
    private MemoryNetwork network;
    private final List<MdnsDiscovery> discoveries = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        CompletableFuture.allOf(discoveries.stream() // each waits for its goodbye: together, not in turn
                        .map(d -> CompletableFuture.runAsync(d::close))
                        .toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            network.close();
        }
    }

    /** Whether a datagram sent to an mDNS-like group on loopback comes back on loopback. */
    private static boolean loopbackCarriesMulticast() throws Exception {
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        InetSocketAddress group = new InetSocketAddress("224.0.0.251", 0);
        try (MulticastSocket receiver = new MulticastSocket(0);
                MulticastSocket sender = new MulticastSocket(0)) {
            InetSocketAddress target = new InetSocketAddress(group.getAddress(), receiver.getLocalPort());
            receiver.joinGroup(target, lo);
            receiver.setSoTimeout(2_000);
            sender.setNetworkInterface(lo);
            sender.setTimeToLive(0); // never past this host, whatever the routing says
            byte[] probe = "murmur-probe".getBytes(StandardCharsets.US_ASCII);
            sender.send(new DatagramPacket(probe, probe.length, target));
            receiver.receive(new DatagramPacket(new byte[64], 64));
            return true;
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return false;
        }
    }

    private AgentSerf node(String name, Address address) {
        NodeSettings node =
                NodeSettings.of(name, address, MembershipConfig.lan()).withSeed(SEED + address.port());
        SerfSettings settings = SerfSettings.of(node);
        var serf = system.systemActorOf(Serf.create(settings, network.bind(address)), "serf-" + name, Props.empty());
        return new ActorAgentSerf(system, serf, settings);
    }

    @Test
    void twoNodesFindEachOtherOverMdnsAndJoin() throws Exception {
        assumeTrue(loopbackCarriesMulticast(), "loopback carries no multicast here");
        system = ActorSystem.create(Behaviors.empty(), "mdns-loopback-test");
        network = new MemoryNetwork(SEED);
        String cluster = "murmur-test-" + ProcessHandle.current().pid(); // not another test run's cluster
        List<InetAddress> loopback = List.of(InetAddress.getByName("127.0.0.1"));

        AgentSerf one = node("one", new Address("127.0.0.1", 17001));
        AgentSerf two = node("two", new Address("127.0.0.1", 17002));
        CompletableFuture<Void> oneSeesTwo = new CompletableFuture<>();
        try (AutoCloseable events = one.subscribe(e -> {
            if (e instanceof SerfEvent.Members m
                    && e.type() == SerfEvent.Type.MEMBER_JOIN
                    && m.members().stream().anyMatch(x -> x.name().equals("two"))) {
                oneSeesTwo.complete(null);
            }
        })) {
            long started = System.nanoTime();
            for (var n : List.of(one, two)) {
                discoveries.add(MdnsDiscovery.start(
                        JmdnsMdns.open(loopback, n.name()),
                        cluster,
                        n.name(),
                        n == one ? 17001 : 17002,
                        n::join,
                        false,
                        true,
                        false,
                        MdnsDiscovery.POLL_INTERVAL));
            }
            oneSeesTwo.get(60, TimeUnit.SECONDS);
            System.out.printf("mDNS discovery and join on loopback took %.2f s%n", (System.nanoTime() - started) / 1e9);
        }
        assertEquals(2, two.members().size());
    }
}
