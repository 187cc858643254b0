package io.murmur.agent.discovery;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The discovery's wiring against a fake mDNS: what it announces, and what found instances turn into joins. */
class MdnsDiscoveryTest {

    /** Records what the discovery asks of mDNS; the test plays the network through {@link #browser}. */
    private static final class FakeMdns implements Mdns {
        final BlockingQueue<Service> advertised = new LinkedBlockingQueue<>();
        final BlockingQueue<String> polls = new LinkedBlockingQueue<>();
        volatile Consumer<Found> browser;
        volatile String browsedType;
        volatile List<Found> pollAnswer = List.of();
        volatile boolean closed;
        /** When set, the announcement fails with it, after an instance was found (on the responder's thread). */
        volatile IOException advertiseFails;

        volatile Found foundWhileAnnouncing;

        @Override
        public void advertise(Service service) throws IOException {
            if (advertiseFails != null) {
                browser.accept(foundWhileAnnouncing);
                throw advertiseFails;
            }
            advertised.add(service);
        }

        @Override
        public void browse(String type, Consumer<Found> found) {
            browsedType = type;
            browser = found;
        }

        @Override
        public List<Found> poll(String type) {
            polls.add(type);
            return pollAnswer;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final FakeMdns mdns = new FakeMdns();
    private final BlockingQueue<String> joins = new LinkedBlockingQueue<>();
    private MdnsDiscovery discovery;

    private MdnsDiscovery start(boolean replay, boolean ipv4, boolean ipv6, Duration poll) throws Exception {
        discovery = MdnsDiscovery.start(
                mdns,
                "prod",
                "web-1",
                7946,
                (seeds, ignoreOld) -> {
                    joins.add(seeds + " ignoreOld=" + ignoreOld);
                    return new JoinResult(seeds.size(), Map.of());
                },
                replay,
                ipv4,
                ipv6,
                poll);
        return discovery;
    }

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
    }

    private static Mdns.Found found(String instance, int port, String... addresses) throws Exception {
        List<InetAddress> inet = new java.util.ArrayList<>();
        for (String a : addresses) {
            inet.add(InetAddress.getByName(a));
        }
        return new Mdns.Found(instance, inet, port);
    }

    private String nextJoin() throws InterruptedException {
        String join = joins.poll(10, TimeUnit.SECONDS);
        assertNotNull(join, "no join");
        return join;
    }

    @Test
    void announcesSerfsServiceAndBrowsesTheSameType() throws Exception {
        start(false, true, true, MdnsDiscovery.POLL_INTERVAL);
        assertEquals(
                new Mdns.Service("_serf_prod._tcp.local.", "web-1", 7946, "Serf 'prod' cluster"),
                mdns.advertised.poll(10, TimeUnit.SECONDS));
        assertEquals("_serf_prod._tcp.local.", mdns.browsedType);
        assertEquals("_serf_prod._tcp.local.", mdns.polls.poll(10, TimeUnit.SECONDS), "the first poll is at once");
        discovery.close();
        assertTrue(mdns.closed, "closing withdraws the announcement");
    }

    @Test
    void foundInstancesAreJoinedOnceAndNeverThisNode() throws Exception {
        start(false, true, true, MdnsDiscovery.POLL_INTERVAL);
        mdns.browser.accept(found("web-1", 7946, "10.0.0.1"));
        mdns.browser.accept(found("web-2", 7946, "10.0.0.2"));
        mdns.browser.accept(found("web-3", 7950, "fd00::3", "10.0.0.3"));
        mdns.browser.accept(found("web-2", 7946, "10.0.0.2"));
        // finds within 100 ms of each other go in one join; a slow machine may split them, so count addresses
        List<String> joined = new java.util.ArrayList<>();
        while (joined.size() < 2) {
            String join = nextJoin();
            assertTrue(join.endsWith(" ignoreOld=true"), join);
            joined.addAll(List.of(join.substring(1, join.indexOf(']')).split(", ")));
        }
        assertEquals(List.of("10.0.0.2:7946", "10.0.0.3:7950"), joined);

        mdns.browser.accept(found("web-2", 7946, "10.0.0.2"));
        mdns.browser.accept(found("web-4", 7946, "10.0.0.4"));
        assertEquals("[10.0.0.4:7946] ignoreOld=true", nextJoin(), "web-2 was joined already");
    }

    @Test
    void pollsAgainAndJoinsWhatAPollFinds() throws Exception {
        mdns.pollAnswer = List.of(found("web-2", 7946, "10.0.0.2"));
        start(true, true, true, Duration.ofMillis(20));
        assertEquals("[10.0.0.2:7946] ignoreOld=false", nextJoin(), "-replay joins with replay");
        for (int i = 0; i < 3; i++) {
            assertNotNull(mdns.polls.poll(10, TimeUnit.SECONDS), "poll " + i);
        }
    }

    @Test
    void theFamiliesLeftInDecideTheJoinAddress() throws Exception {
        start(false, false, true, MdnsDiscovery.POLL_INTERVAL);
        assertEquals(
                new Address("fd00:0:0:0:0:0:0:3", 7946),
                discovery.joinAddress(found("x", 7946, "10.0.0.3", "fd00::3")).orElseThrow());
        assertNull(discovery.joinAddress(found("y", 7946, "10.0.0.4")).orElse(null), "IPv4 is off");
    }

    @Test
    void anAnnouncementThatFailsClosesTheResponderAndTheThreads() throws Exception {
        IOException failure = new IOException("no multicast here");
        mdns.advertiseFails = failure;
        mdns.foundWhileAnnouncing = found("web-2", 7946, "10.0.0.2"); // starts the join thread
        assertSame(
                failure, assertThrows(IOException.class, () -> start(false, true, true, MdnsDiscovery.POLL_INTERVAL)));
        assertTrue(mdns.closed, "the responders are closed");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("mdns-join-prod") || t.getName().equals("mdns-poll-prod")) {
                t.join(TimeUnit.SECONDS.toMillis(10));
                assertFalse(t.isAlive(), t.getName() + " still runs");
            }
        }
    }

    @Test
    void aFindAfterCloseIsIgnored() throws Exception {
        start(false, true, true, MdnsDiscovery.POLL_INTERVAL);
        discovery.close();
        Mdns.Found late = found("web-2", 7946, "10.0.0.2");
        assertDoesNotThrow(() -> mdns.browser.accept(late), "JmDNS may still resolve an instance while closing");
    }
}
