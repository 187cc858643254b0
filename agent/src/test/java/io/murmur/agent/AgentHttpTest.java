package io.murmur.agent;

import static io.murmur.agent.MetricsPage.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.membership.MembershipConfig;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.protocol.Codec;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfSettings;
import io.murmur.transport.memory.MemoryNetwork;
import io.murmur.transport.memory.MemoryTransport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API of two agents on the in-memory network: health, members and Prometheus metrics. */
class AgentHttpTest {

    private static final long SEED = 7;

    private static ActorSystem<Void> system;
    private static MemoryNetwork network;
    private static final List<SerfAgent> agents = new ArrayList<>();
    private static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startAgents() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "agent-http-test");
        network = new MemoryNetwork(SEED);
        for (int i = 1; i <= 2; i++) {
            Address address = new Address("10.0.1." + i, 7946);
            NodeSettings node =
                    NodeSettings.of("h" + i, address, MembershipConfig.lan()).withSeed(SEED + i);
            SerfSettings settings = SerfSettings.of(node).withTags(Map.of("role", "web" + i));
            SerfAgent agent = SerfAgent.start(
                    system, settings, network.bind(address), new InetSocketAddress("127.0.0.1", 0), "", null);
            agents.add(agent.startHttp(new InetSocketAddress("127.0.0.1", 0)));
        }
        CountDownLatch joined = new CountDownLatch(1);
        try (AutoCloseable sub = agents.get(0).api().subscribe(e -> {
            if (e instanceof SerfEvent.Members m
                    && m.type() == SerfEvent.Type.MEMBER_JOIN
                    && m.members().stream().anyMatch(x -> x.name().equals("h2"))) {
                joined.countDown();
            }
        })) {
            agents.get(0).join(List.of(new Address("10.0.1.2", 7946)), false);
            assertTrue(joined.await(30, TimeUnit.SECONDS), "h1 did not see h2 join");
        }
    }

    @AfterAll
    static void stopAgents() throws Exception {
        agents.forEach(SerfAgent::close);
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (network != null) {
            network.close();
        }
    }

    private static HttpResponse<String> get(int agent, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + agents.get(agent - 1).httpPort() + path);
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsOkWhileTheNodeRuns() throws Exception {
        HttpResponse<String> health = get(1, "/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("{\"node\":\"h1\",\"status\":\"alive\",\"members\":2}", health.body());
        assertEquals(
                "application/json", health.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void membersListsBothNodesWithTheirTags() throws Exception {
        HttpResponse<String> members = get(1, "/v1/members");
        assertEquals(200, members.statusCode());
        String body = members.body();
        assertTrue(body.startsWith("[") && body.endsWith("]"), body);
        assertTrue(
                body.contains("{\"name\":\"h1\",\"addr\":\"10.0.1.1\",\"port\":7946,\"tags\":{\"role\":\"web1\"},"
                        + "\"status\":\"alive\"}"),
                body);
        assertTrue(body.contains("\"name\":\"h2\",\"addr\":\"10.0.1.2\""), body);
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertEquals(404, get(1, "/v1/nothing").statusCode());
        assertEquals(404, get(1, "/health/x").statusCode());
        URI uri = URI.create("http://127.0.0.1:" + agents.get(0).httpPort() + "/v1/members");
        HttpResponse<String> post = client.send(
                HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void metricsCarryMemberlistAndSerfNames() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        try (AutoCloseable sub = agents.get(1).api().subscribe(e -> {
            if (e instanceof SerfEvent.User u && u.name().equals("deploy")) {
                delivered.countDown();
            }
        })) {
            assertTrue(agents.get(0)
                    .api()
                    .userEvent("deploy", new byte[] {1}, false)
                    .isEmpty());
            assertTrue(delivered.await(30, TimeUnit.SECONDS), "h2 did not get the event");
        }
        HttpResponse<String> metrics = get(1, "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        // h1's prober has seen an ack (a probe round every local-profile interval)
        String text =
                MetricsPage.await(system, agents.get(0), t -> sample(t, "memberlist_probe_rtt_seconds_count") > 0);
        assertEquals(2.0, sample(text, "serf_members{status=\"alive\"}"));
        assertEquals(0.0, sample(text, "serf_members{status=\"failed\"}"));
        assertEquals(0.0, sample(text, "memberlist_health_score"));
        assertTrue(sample(text, "memberlist_queue_broadcasts") >= 0);
        assertTrue(sample(text, "serf_queue_broadcasts") >= 0);
        assertTrue(sample(text, "memberlist_udp_sent_bytes_total") > 0);
        assertTrue(sample(text, "memberlist_udp_received_packets_total") > 0);
        assertEquals(0.0, sample(text, "murmur_transport_dropped_packets_total{direction=\"in\"}"));
        assertEquals(0.0, sample(text, "serf_messages_dropped_total{reason=\"decryption_failed\"}"));
        assertEquals(1.0, sample(text, "serf_events_sent_total"));
        assertTrue(sample(text, "serf_member_join_total") >= 1); // h2, and itself when it joined after the subscription
        assertTrue(sample(text, "memberlist_probe_rtt_seconds_count") > 0);
        assertTrue(text.contains("memberlist_probe_rtt_seconds_bucket{le=\"0.001\"}"), text);
        assertTrue(text.contains("# TYPE serf_queries_total counter"), text);
        String h2 = get(2, "/metrics").body();
        assertEquals(1.0, sample(h2, "serf_events_total"));
        assertEquals(0.0, sample(h2, "serf_events_sent_total"));
    }

    @Test
    void metricsCountTheMembershipLayersInboundDropsByReason() throws Exception {
        String before = get(1, "/metrics").body();
        double badMagic = sample(before, "murmur_packets_dropped_total{reason=\"bad_magic\"}");
        double empty = sample(before, "murmur_packets_dropped_total{reason=\"empty\"}");
        assertEquals(0.0, sample(before, "murmur_packets_dropped_total{reason=\"decryption_failed\"}"));
        assertEquals(0.0, sample(before, "murmur_requests_refused_total"));
        Address h1 = new Address("10.0.1.1", 7946);
        try (MemoryTransport stranger = network.bind(new Address("10.0.1.99", 7946))) {
            assertTrue(stranger.send(h1, new byte[] {(byte) (Codec.MAGIC + 1), 1, 2, 3}));
            assertTrue(stranger.send(h1, new byte[] {(byte) (Codec.MAGIC + 1), 4}));
            assertTrue(stranger.send(h1, new byte[0]));
            String after = MetricsPage.await(
                    system,
                    agents.get(0),
                    text -> sample(text, "murmur_packets_dropped_total{reason=\"bad_magic\"}") >= badMagic + 2
                            && sample(text, "murmur_packets_dropped_total{reason=\"empty\"}") >= empty + 1);
            assertEquals(badMagic + 2, sample(after, "murmur_packets_dropped_total{reason=\"bad_magic\"}"), after);
            assertEquals(empty + 1, sample(after, "murmur_packets_dropped_total{reason=\"empty\"}"), after);
            assertTrue(after.contains("# TYPE murmur_packets_dropped_total counter"), after);
        }
        String h2 = get(2, "/metrics").body(); // each agent counts its own node's drops
        assertEquals(0.0, sample(h2, "murmur_packets_dropped_total{reason=\"bad_magic\"}"));
    }
}
