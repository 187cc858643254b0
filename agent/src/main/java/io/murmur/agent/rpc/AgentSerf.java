package io.murmur.agent.rpc;

import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import io.murmur.serf.KeyCommands;
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
import java.util.function.Consumer;

/**
 * What the RPC server asks of the serf node. Calls block the calling session's own thread (never the node's actors);
 * a failure comes back as Serf's error text ({@code Optional.of("...")}), which the session sends to the client.
 */
public interface AgentSerf {

    /** Serf 0.9's protocol versions: it speaks 2 to 5, 5 by default. */
    int MIN_PROTOCOL = 2;

    int MAX_PROTOCOL = 5;
    int DEFAULT_PROTOCOL = 5;

    /** This node's name. */
    String name();

    List<SerfMember> members();

    JoinResult join(List<Address> seeds, boolean ignoreOld);

    /** Graceful leave; the agent shuts down afterwards (the session's caller decides). */
    Optional<String> leave();

    Optional<String> forceLeave(String node, boolean prune);

    Optional<String> userEvent(String name, byte[] payload, boolean coalesce);

    /** Replaces this node's tags. */
    Optional<String> setTags(Map<String, String> tags);

    /**
     * Starts a query; an error when it cannot be sent, else {@code replies} gets acks, responses and one
     * {@link QueryReply.Done} (or a late {@link QueryReply.Rejected}) on some other thread.
     */
    Optional<String> query(String name, byte[] payload, QueryParams params, Consumer<QueryReply> replies);

    Optional<String> respond(SerfEvent.Query query, byte[] payload);

    /** Events from now on to {@code events} (called on another thread, must not block) until the handle is closed. */
    AutoCloseable subscribe(Consumer<SerfEvent> events);

    /** A key operation on every member; {@code key} is null for list. */
    KeyCommands.KeyResponse keyOperation(KeyCommands.Op op, byte[] key);

    Optional<Coordinate> coordinate(String node);

    SerfStats stats();

    /** Serf's own stats (health score, Lamport times, queue depths, coordinate resets); empty when the node is stuck. */
    Optional<SerfInfo> info();

    /** Whether this node holds a keyring (Serf's {@code encrypted} stat). */
    boolean encrypted();

    /**
     * The serf protocol version this node was started with (Serf's {@code -protocol}, 2 to 5): reported as its
     * member's {@code DelegateCur}. Murmur's wire is the same at every version.
     */
    default int protocolVersion() {
        return DEFAULT_PROTOCOL;
    }
}
