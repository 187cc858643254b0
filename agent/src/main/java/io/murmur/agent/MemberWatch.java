package io.murmur.agent;

import io.murmur.agent.cli.RpcClient;
import io.murmur.agent.rpc.RpcValues;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.msgpack.value.Value;

/**
 * One agent's member list, polled over RPC ({@code members}) as an operator's {@code serf members} would read it. The
 * list, not the member event stream: the agent coalesces member events (Serf's 3 s / 1 s), so events tell when the
 * handlers heard, not when the agent knew.
 */
final class MemberWatch implements AutoCloseable {

    private final String self;
    private final RpcClient client;
    private Map<String, String> last = Map.of();
    private long lastSince;
    private volatile Wait lastWait;

    /**
     * What the last {@link #until} waited for at the end: the members alive in its final answer and not in the list
     * before it, each with its status there ("absent" when unlisted), and since when that list had stood.
     */
    record Wait(Map<String, String> arrived, long sinceNanos) {

        /** "agent-3 (failed), agent-7 (absent)". */
        String describe() {
            StringBuilder b = new StringBuilder();
            arrived.forEach((name, was) -> b.append(b.length() > 0 ? ", " : "")
                    .append(name)
                    .append(" (")
                    .append(was)
                    .append(')'));
            return b.toString();
        }
    }

    MemberWatch(String self, String rpcAddress) throws RpcClient.RpcException {
        this.self = self;
        this.client = RpcClient.connect(rpcAddress, "").readTimeout(Duration.ofSeconds(60));
    }

    /**
     * Reads the member list on {@code timers}, again every {@code period}, until {@code condition} holds of it (name to
     * status); completes with the {@code System.nanoTime()} at which the answer that met it arrived.
     */
    CompletableFuture<Long> until(
            Predicate<Map<String, String>> condition, Duration period, ScheduledExecutorService timers) {
        CompletableFuture<Long> seen = new CompletableFuture<>();
        Runnable poll = new Runnable() {
            @Override
            public void run() {
                if (seen.isDone()) {
                    return;
                }
                try {
                    Map<String, String> members = members();
                    long now = System.nanoTime();
                    Map<String, String> before = last;
                    long beforeSince = lastSince;
                    if (!members.equals(before)) {
                        last = members;
                        lastSince = now;
                    }
                    if (condition.test(members)) {
                        Map<String, String> arrived = new TreeMap<>();
                        for (String name : alive(members)) {
                            String was = before.getOrDefault(name, "absent");
                            if (!was.equals("alive")) {
                                arrived.put(name, was);
                            }
                        }
                        lastWait = new Wait(arrived, beforeSince);
                        seen.complete(now);
                    } else {
                        timers.schedule(this, period.toNanos(), TimeUnit.NANOSECONDS);
                    }
                } catch (RpcClient.RpcException | RpcValues.Malformed | RuntimeException e) {
                    seen.completeExceptionally(new IllegalStateException(self + "'s member list: " + e, e));
                }
            }
        };
        timers.execute(poll);
        return seen;
    }

    private synchronized Map<String, String> members() throws RpcClient.RpcException, RpcValues.Malformed {
        Value list = client.request("members", null).value("Members");
        Map<String, String> byName = new HashMap<>();
        if (list != null && list.isArrayValue()) {
            for (Value m : list.asArrayValue()) {
                RpcValues member = RpcValues.of(m);
                byName.put(member.string("Name"), member.string("Status"));
            }
        }
        return byName;
    }

    /** What the last {@link #until} waited for at the end (null before it met its condition). */
    Wait lastWait() {
        return lastWait;
    }

    private static Set<String> alive(Map<String, String> members) {
        Set<String> names = new HashSet<>();
        members.forEach((name, status) -> {
            if (status.equals("alive")) {
                names.add(name);
            }
        });
        return names;
    }

    /** Counts the members with {@code status}. */
    static long count(Map<String, String> members, String status) {
        return members.values().stream().filter(status::equals).count();
    }

    @Override
    public void close() {
        client.close();
    }
}
