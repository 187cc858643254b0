package io.murmur.agent.rpc;

import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import io.murmur.serf.KeyCommands;
import io.murmur.serf.MemberStatus;
import io.murmur.serf.QueryParams;
import io.murmur.serf.QueryReply;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfInfo;
import io.murmur.serf.SerfMember;
import io.murmur.serf.SerfStats;
import io.murmur.serf.coordinate.Coordinate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/** An {@link AgentSerf} that records what it was asked and answers from fields the test sets. */
final class FakeSerf implements AgentSerf {

    volatile List<SerfMember> members = List.of(
            new SerfMember("a1", new Address("10.0.0.1", 7946), Map.of("role", "web"), MemberStatus.ALIVE),
            new SerfMember("b2", new Address("10.0.0.2", 7947), Map.of("role", "db"), MemberStatus.FAILED));
    volatile KeyCommands.KeyResponse keyResponse =
            new KeyCommands.KeyResponse(Map.of(), 2, 2, 0, Map.of("a2V5", 2), Map.of("a2V5", 2));
    /** Every call, as text: {@code join [10.0.0.9:7946] ignoreOld=true}. */
    final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

    final List<Consumer<SerfEvent>> subscribers = new CopyOnWriteArrayList<>();
    volatile Consumer<QueryReply> lastQuery;
    volatile SerfEvent.Query answered;
    volatile int protocol = DEFAULT_PROTOCOL;

    @Override
    public String name() {
        return "a1";
    }

    @Override
    public List<SerfMember> members() {
        return members;
    }

    @Override
    public JoinResult join(List<Address> seeds, boolean ignoreOld) {
        calls.add("join " + seeds + " ignoreOld=" + ignoreOld);
        return new JoinResult(seeds.size(), Map.of());
    }

    @Override
    public Optional<String> leave() {
        calls.add("leave");
        return Optional.empty();
    }

    @Override
    public Optional<String> forceLeave(String node, boolean prune) {
        calls.add("force-leave " + node + " prune=" + prune);
        return Optional.empty();
    }

    @Override
    public Optional<String> userEvent(String name, byte[] payload, boolean coalesce) {
        calls.add("event " + name + " " + new String(payload) + " coalesce=" + coalesce);
        return payload.length > 100 ? Optional.of("user event exceeds limit") : Optional.empty();
    }

    @Override
    public Optional<String> setTags(Map<String, String> tags) {
        calls.add("tags " + new java.util.TreeMap<>(tags));
        return Optional.empty();
    }

    @Override
    public Optional<String> query(String name, byte[] payload, QueryParams params, Consumer<QueryReply> replies) {
        String call = "query " + name + " " + new String(payload) + " nodes=" + params.filterNodes() + " tags="
                + params.filterTags() + " ack=" + params.requestAck() + " timeout=" + params.timeout();
        if (name.length() > 50) {
            calls.add(call);
            return Optional.of("query exceeds limit of 50 bytes");
        }
        lastQuery = replies;
        // The first replies arrive before the server has sent its reply to the request.
        replies.accept(new QueryReply.Ack("a1"));
        calls.add(call); // last: a test that sees the call can use lastQuery
        return Optional.empty();
    }

    @Override
    public Optional<String> respond(SerfEvent.Query query, byte[] payload) {
        answered = query;
        calls.add("respond " + query.name() + " " + new String(payload));
        return Optional.empty();
    }

    @Override
    public AutoCloseable subscribe(Consumer<SerfEvent> events) {
        subscribers.add(events);
        return () -> subscribers.remove(events);
    }

    void publish(SerfEvent e) {
        subscribers.forEach(s -> s.accept(e));
    }

    @Override
    public KeyCommands.KeyResponse keyOperation(KeyCommands.Op op, byte[] key) {
        calls.add(op.opName() + " " + (key == null ? "-" : key.length + " bytes"));
        return keyResponse;
    }

    @Override
    public Optional<Coordinate> coordinate(String node) {
        return node.equals("a1")
                ? Optional.of(new Coordinate(new double[] {0.5, -0.25}, 1.5, 0.001, 0.00001))
                : Optional.empty();
    }

    @Override
    public SerfStats stats() {
        return new SerfStats(Map.of(), 0, 1, 0, 0);
    }

    /** Each value differs from the others, so that a key reporting the wrong field shows. */
    volatile Optional<SerfInfo> info = Optional.of(new SerfInfo(3, 11, 12, 13, 21, 22, 23, OptionalLong.of(4)));

    @Override
    public Optional<SerfInfo> info() {
        return info;
    }

    @Override
    public boolean encrypted() {
        return false;
    }

    @Override
    public int protocolVersion() {
        return protocol;
    }
}
