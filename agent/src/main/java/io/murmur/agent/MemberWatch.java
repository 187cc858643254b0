package io.murmur.agent;

import io.murmur.agent.cli.RpcClient;
import io.murmur.agent.rpc.RpcValues;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.msgpack.value.Value;

/**
 * What one agent tells about its members over an RPC {@code stream} of member events, stamped with
 * {@code System.nanoTime()} as each record arrives: when it first saw every agent alive, and when it saw each member
 * fail. Reads on a daemon thread of its own until closed.
 */
final class MemberWatch implements AutoCloseable {

    private final String self;
    private final int expected;
    private final RpcClient client;
    private final CountDownLatch converged;
    private final Set<String> alive = new HashSet<>();
    private final Map<String, Long> failedAt = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> failureLatches = new ConcurrentHashMap<>();
    private volatile long convergedAt;
    private volatile String error;

    /**
     * Opens the stream on {@code rpcAddress}; counts {@code converged} down the first time {@code expected} members
     * (itself included) are alive.
     */
    MemberWatch(String self, String rpcAddress, int expected, CountDownLatch converged) throws RpcClient.RpcException {
        this.self = self;
        this.expected = expected;
        this.converged = converged;
        this.alive.add(self);
        this.client = RpcClient.connect(rpcAddress, "");
        client.call("stream", p -> RpcClient.map(p, "Type", "member-join,member-leave,member-failed"));
        Thread reader = new Thread(this::read, "bench-watch-" + self);
        reader.setDaemon(true);
        reader.start();
    }

    /** Counts {@code latch} down when this agent sees {@code name} fail (or at once if it already has). */
    void onFailure(String name, CountDownLatch latch) {
        failureLatches.put(name, latch);
        if (failedAt.containsKey(name)) {
            CountDownLatch l = failureLatches.remove(name); // the reader may have taken it first
            if (l != null) {
                l.countDown();
            }
        }
    }

    long convergedAt() {
        return convergedAt;
    }

    long failedAt(String name) {
        return failedAt.getOrDefault(name, 0L);
    }

    String self() {
        return self;
    }

    /** Why the stream ended early, or null. */
    String error() {
        return error;
    }

    private void read() {
        try {
            RpcValues record;
            while ((record = client.nextRecord()) != null) {
                long now = System.nanoTime();
                String event = record.string("Event");
                Value members = record.value("Members");
                if (members == null || !members.isArrayValue()) {
                    continue;
                }
                for (Value m : members.asArrayValue()) {
                    apply(event, RpcValues.of(m).string("Name"), now);
                }
            }
        } catch (RpcClient.RpcException | RpcValues.Malformed e) {
            error = e.getMessage();
        }
    }

    private void apply(String event, String name, long now) {
        switch (event) {
            case "member-join" -> {
                alive.add(name);
                if (alive.size() == expected && convergedAt == 0) {
                    convergedAt = now;
                    converged.countDown();
                }
            }
            case "member-failed" -> {
                alive.remove(name);
                failedAt.putIfAbsent(name, now);
                CountDownLatch latch = failureLatches.remove(name);
                if (latch != null) {
                    latch.countDown();
                }
            }
            case "member-leave" -> alive.remove(name);
            default -> {}
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
