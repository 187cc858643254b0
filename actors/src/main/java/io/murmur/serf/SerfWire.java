package io.murmur.serf;

import io.murmur.membership.Node;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Rejection;
import io.murmur.protocol.SerfCodec;
import io.murmur.protocol.SerfMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * The serf layer's side of the membership node: serf messages encoded into user messages and broadcasts, decoded
 * (bad input dropped and counted, logged at a bounded rate), and relayed.
 */
final class SerfWire {

    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    /**
     * The labels of this layer's broadcasts in the membership node's user queue ({@link Node.Broadcast#kind()}): Serf
     * keeps its join and leave intents, user events and queries in three queues, and reports each one's depth.
     */
    static final String INTENTS = "serf-intents";

    static final String EVENTS = "serf-events";
    static final String QUERIES = "serf-queries";

    private final String self;
    private final Address selfAddress;
    private final ActorRef<Node.Command> node;
    private final int transmits;
    private final SerfStats.Counters counters;
    private final RandomGenerator random;
    private final Logger log;
    private final SerfCodec codec = new SerfCodec();
    private long lastLog = System.nanoTime() - LOG_EVERY_NANOS;

    SerfWire(
            String self,
            Address selfAddress,
            ActorRef<Node.Command> node,
            int transmits,
            SerfStats.Counters counters,
            RandomGenerator random,
            Logger log) {
        this.self = self;
        this.selfAddress = selfAddress;
        this.node = node;
        this.transmits = transmits;
        this.counters = counters;
        this.random = random;
        this.log = log;
    }

    Address selfAddress() {
        return selfAddress;
    }

    /** The message in a user message, or null when it is not a serf message (dropped and counted). */
    SerfMessage decode(Node.UserMessageReceived m) {
        SerfCodec.Decoded d = codec.decode(m.payload());
        if (d instanceof SerfCodec.Decoded.Ok ok) {
            return ok.message();
        }
        SerfCodec.Decoded.Rejected r = (SerfCodec.Decoded.Rejected) d;
        drop(m.from(), r.reason(), r.detail());
        return null;
    }

    /** A push/pull's serf state, or null when it is not one (dropped and counted). */
    SerfMessage.PushPull decodeState(Node.RemoteUserState state) {
        SerfCodec.Decoded d = codec.decode(state.state());
        if (d instanceof SerfCodec.Decoded.Ok ok && ok.message() instanceof SerfMessage.PushPull pp) {
            return pp;
        }
        if (d instanceof SerfCodec.Decoded.Rejected r) {
            drop(state.from(), r.reason(), r.detail());
        } else {
            drop(state.from(), Rejection.WRONG_PATH, "not a push/pull state");
        }
        return null;
    }

    Bytes encodeState(SerfMessage.PushPull state) {
        return codec.encode(state);
    }

    void wrongPath(Address from, SerfMessage message) {
        drop(from, Rejection.WRONG_PATH, message.getClass().getSimpleName() + " in a user message");
    }

    void broadcast(SerfMessage message, ActorRef<Done> sent) {
        node.tell(new Node.Broadcast(codec.encode(message), sent, transmits, kindOf(message)));
    }

    /** Which of Serf's three queues {@code message} would wait in; null for what is never broadcast. */
    static String kindOf(SerfMessage message) {
        if (message instanceof SerfMessage.JoinIntent || message instanceof SerfMessage.LeaveIntent) {
            return INTENTS;
        } else if (message instanceof SerfMessage.UserEvent) {
            return EVENTS;
        } else if (message instanceof SerfMessage.Query) {
            return QUERIES;
        }
        return null;
    }

    Bytes encode(SerfMessage message) {
        return codec.encode(message);
    }

    void send(Address to, SerfMessage message) {
        node.tell(new Node.SendTo(to, codec.encode(message)));
    }

    /** Forwards a relayed query response; anything else inside a relay is dropped (we are nobody's reflector). */
    void relay(SerfMessage.Relay relay) {
        SerfCodec.Decoded inner = codec.decode(relay.inner());
        if (!(inner instanceof SerfCodec.Decoded.Ok ok) || !(ok.message() instanceof SerfMessage.QueryResponse)) {
            drop(relay.destination(), Rejection.WRONG_PATH, "a relay that does not carry a query response");
            return;
        }
        counters.relayed++;
        node.tell(new Node.SendTo(relay.destination(), relay.inner()));
    }

    /** Sends {@code r}'s message through {@code r.copies()} random live members other than us and its destination. */
    void relayVia(SerfEffect.Relay r, List<SerfMember> members) {
        List<SerfMember> candidates = new ArrayList<>();
        for (SerfMember m : members) {
            if (m.status() == MemberStatus.ALIVE
                    && !m.name().equals(self)
                    && !m.name().equals(r.toNode())) {
                candidates.add(m);
            }
        }
        Bytes relay = codec.encode(new SerfMessage.Relay(r.to(), r.toNode(), codec.encode(r.inner())));
        for (int i = 0; i < r.copies() && !candidates.isEmpty(); i++) {
            SerfMember via = candidates.remove(random.nextInt(candidates.size()));
            node.tell(new Node.SendTo(via.address(), relay));
        }
    }

    private void drop(Address from, Rejection reason, String detail) {
        counters.drop(reason);
        long now = System.nanoTime();
        if (now - lastLog >= LOG_EVERY_NANOS) {
            lastLog = now;
            log.warn("{}: dropped serf input from {}: {} ({})", self, from, reason, detail);
        }
    }
}
