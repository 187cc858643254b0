package io.murmur.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.murmur.agent.rpc.AgentDrops;
import io.murmur.serf.MemberStatus;
import io.murmur.serf.Serf;
import io.murmur.serf.SerfMember;
import io.murmur.transport.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API ({@code -http-addr}), on the JDK's server: {@code GET /health}, {@code GET /v1/members} and
 * {@code GET /metrics} (Prometheus text). Read-only; everything that changes the cluster stays on the RPC port, which
 * has authentication.
 */
public final class AgentHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);
    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService threads;
    private final CountingAgentSerf api;
    private final AgentMetrics metrics;
    private volatile boolean closed;

    private AgentHttpServer(HttpServer server, ExecutorService threads, CountingAgentSerf api, AgentMetrics metrics) {
        this.server = server;
        this.threads = threads;
        this.api = api;
        this.metrics = metrics;
    }

    /**
     * Binds {@code address} (port 0: any free port) and serves until {@link #close()}; the metrics read
     * {@code transport}'s counters (the Aeron transport's own too) and the agent's {@code drops}.
     */
    public static AgentHttpServer start(
            InetSocketAddress address,
            ActorSystem<?> system,
            ActorRef<Serf.Command> serf,
            CountingAgentSerf api,
            Transport transport,
            AgentDrops drops)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "murmur-http");
            t.setDaemon(true);
            return t;
        });
        AgentMetrics metrics = new AgentMetrics(system, serf, api, transport, drops);
        metrics.listenToNode();
        AgentHttpServer http = new AgentHttpServer(server, threads, api, metrics);
        server.createContext("/health", ex -> http.serve(ex, http::health));
        server.createContext("/v1/members", ex -> http.serve(ex, http::members));
        server.createContext("/metrics", ex -> http.serve(ex, http::metrics));
        server.createContext("/", ex -> http.serve(ex, () -> new Reply(404, JSON, "{\"error\":\"not found\"}")));
        server.setExecutor(threads);
        server.start();
        LOG.info("HTTP API on {}", server.getAddress());
        return http;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private record Reply(int status, String contentType, String body) {}

    private interface Handler {
        Reply handle();
    }

    private void serve(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Reply reply;
            if (!exchange.getRequestMethod().equals("GET")
                    && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                reply = new Reply(405, JSON, "{\"error\":\"method not allowed\"}");
            } else if (!exchange.getHttpContext().getPath().equals(path) && !path.equals("/")) {
                reply = new Reply(404, JSON, "{\"error\":\"not found\"}");
            } else {
                reply = handler.handle();
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} failed", exchange.getRequestURI(), e);
        }
    }

    /** 200 while this node is alive in its own view, 503 when it is leaving, gone or does not answer. */
    private Reply health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", api.name());
        if (closed) {
            body.put("status", "stopped");
            return new Reply(503, JSON, Json.write(body, 0));
        }
        List<SerfMember> members = api.members();
        Optional<SerfMember> self =
                members.stream().filter(m -> m.name().equals(api.name())).findFirst();
        String status = self.map(m -> m.status().serfName()).orElse("unreachable");
        body.put("status", status);
        body.put(
                "members",
                members.stream().filter(m -> m.status() == MemberStatus.ALIVE).count());
        boolean alive = self.isPresent() && self.get().status() == MemberStatus.ALIVE;
        return new Reply(alive ? 200 : 503, JSON, Json.write(body, 0));
    }

    private Reply members() {
        List<Object> out =
                api.members().stream().map(m -> (Object) Json.member(m)).toList();
        return new Reply(200, JSON, Json.write(out, 0));
    }

    private Reply metrics() {
        return new Reply(200, PROMETHEUS_TEXT, metrics.scrape());
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
        metrics.close();
    }
}
