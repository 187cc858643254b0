package io.murmur.agent.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's RPC port: Serf's RPC protocol over plain TCP, so that the {@code serf} command line (and Serf's RPC
 * clients) work against a Murmur agent. One reader thread and one writer thread per connection: a slow or stuck client
 * holds up only itself, never the node (events reach it through a bounded queue that drops when full).
 */
public final class RpcServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
    private static final AtomicLong SESSION_IDS = new AtomicLong();

    private final ServerSocket listener;
    private final AgentSerf serf;
    private final String authKey;
    private final LogMonitor logs;
    private final Runnable onLeave;
    private final Supplier<Map<String, String>> eventHandlers;
    private final AgentDrops drops;
    private final Set<RpcSession> sessions = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private RpcServer(
            ServerSocket listener,
            AgentSerf serf,
            String authKey,
            LogMonitor logs,
            Runnable onLeave,
            Supplier<Map<String, String>> eventHandlers,
            AgentDrops drops) {
        this.listener = listener;
        this.serf = serf;
        this.authKey = authKey;
        this.logs = logs;
        this.onLeave = onLeave;
        this.eventHandlers = eventHandlers;
        this.drops = drops;
        this.acceptor = new Thread(this::accept, "serf-rpc-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
    }

    /**
     * Listens at {@code address} (port 0: any free port, see {@link #port}).
     *
     * @param authKey the token clients must send with {@code auth} first; empty for none
     * @param logs where {@code monitor} takes log lines from; null: monitors get none
     * @param onLeave run (on a session's thread) after a client's {@code leave} was answered
     */
    public static RpcServer start(
            InetSocketAddress address, AgentSerf serf, String authKey, LogMonitor logs, Runnable onLeave)
            throws IOException {
        return start(address, serf, authKey, logs, onLeave, Map::of, new AgentDrops());
    }

    /**
     * As above, with the agent's handler scripts for the {@code stats} reply's {@code event_handlers} section.
     *
     * @param eventHandlers the section's entries (filter, then script), asked again at each {@code stats}: the
     *     scripts may start after the server, and a reload may replace them
     * @param drops where stream, monitor and query records that a slow client had no room for are counted
     */
    public static RpcServer start(
            InetSocketAddress address,
            AgentSerf serf,
            String authKey,
            LogMonitor logs,
            Runnable onLeave,
            Supplier<Map<String, String>> eventHandlers,
            AgentDrops drops)
            throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(address);
        RpcServer server =
                new RpcServer(listener, serf, authKey == null ? "" : authKey, logs, onLeave, eventHandlers, drops);
        server.acceptor.start();
        LOG.info("Serf RPC listening on {}", listener.getLocalSocketAddress());
        return server;
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
                socket.setTcpNoDelay(true);
            } catch (SocketException e) {
                break; // closed
            } catch (IOException e) {
                LOG.warn("RPC accept failed: {}", e.toString());
                continue;
            }
            RpcSession session = new RpcSession(socket, serf, authKey, logs, onLeave, eventHandlers, drops);
            sessions.add(session);
            Thread reader = new Thread(
                    () -> {
                        try {
                            session.run();
                        } finally {
                            sessions.remove(session);
                        }
                    },
                    "serf-rpc-" + SESSION_IDS.incrementAndGet());
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sessions.forEach(RpcSession::abort);
        sessions.clear();
    }
}
