package io.murmur.membership;

import io.murmur.protocol.Address;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Decoded;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Compound;
import io.murmur.protocol.Message.PushPull;
import io.murmur.protocol.Message.UserMessage;
import io.murmur.protocol.Rejection;
import io.murmur.protocol.WireSecurity;
import io.murmur.protocol.WireSecurity.Opened;
import io.murmur.transport.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node's traffic comes in, on the transport's threads: checks the source against the CIDR allow-list, opens
 * the envelope (label, decryption, inflation) and decodes each packet (bad input is dropped and counted by reason,
 * never thrown), and routes each message to the actor of its concern. Replies to requests leave sealed.
 */
final class Inbound implements Transport.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

    /** memberlist's {@code maxPushPullRequests}: inbound exchanges served at once. */
    static final int MAX_CONCURRENT_REQUESTS = 128;

    private final String self;
    private final Codec codec;
    private final WireSecurity security;
    private final Siblings siblings;
    private final ActorRef<Node.Command> node;
    private final NodeStats stats;
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10_000_000_000L);

    private final Duration streamTimeout;

    Inbound(
            String self,
            Codec codec,
            WireSecurity security,
            Siblings siblings,
            ActorRef<Node.Command> node,
            NodeStats stats,
            Duration streamTimeout) {
        this.streamTimeout = streamTimeout;
        this.self = self;
        this.codec = codec;
        this.security = security;
        this.siblings = siblings;
        this.node = node;
        this.stats = stats;
    }

    @Override
    public void onPacket(Address from, byte[] packet) {
        if (!allowed(from)) {
            return;
        }
        Opened opened = security.openPacket(packet);
        if (opened instanceof Opened.Rejected r) {
            drop(from, r.reason(), r.detail());
            return;
        }
        Decoded decoded = codec.decodePacket(((Opened.Frame) opened).bytes());
        if (decoded instanceof Decoded.Rejected r) {
            drop(from, r.reason(), r.detail());
            return;
        }
        Message message = ((Decoded.Ok) decoded).message();
        if (message instanceof Compound c) {
            for (Message part : c.parts()) {
                route(from, part);
            }
        } else {
            route(from, message);
        }
    }

    private void route(Address from, Message m) {
        switch (Concern.of(m)) {
            case PROBE -> siblings.prober().tell(new ProberActor.Inbound(from, m));
            case MEMBERSHIP -> siblings.table().tell(new MemberTableActor.Apply(m));
            case USER -> node.tell(new Node.UserMessageArrived(from, ((UserMessage) m).payload()));
            case NONE -> {
                drop(from, Rejection.WRONG_PATH, m.getClass().getSimpleName() + " in a packet");
                return;
            }
        }
        stats.messagesReceived.increment();
    }

    @Override
    public CompletionStage<byte[]> onRequest(Address from, byte[] request) {
        if (!allowed(from)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(Rejection.NOT_ALLOWED.name()));
        }
        Opened opened = security.openStream(request);
        if (opened instanceof Opened.Rejected r) {
            drop(from, r.reason(), r.detail());
            return CompletableFuture.failedFuture(new IllegalArgumentException(r.reason() + ": " + r.detail()));
        }
        Decoded decoded = codec.decodeStream(((Opened.Frame) opened).bytes());
        if (decoded instanceof Decoded.Rejected r) {
            drop(from, r.reason(), r.detail());
            return CompletableFuture.failedFuture(new IllegalArgumentException(r.reason() + ": " + r.detail()));
        }
        Message message = ((Decoded.Ok) decoded).message();
        if (!(message instanceof PushPull pushPull)) {
            drop(from, Rejection.WRONG_PATH, message.getClass().getSimpleName() + " on the reliable path");
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a push/pull"));
        }
        if (requestsInFlight.incrementAndGet() > MAX_CONCURRENT_REQUESTS) {
            requestsInFlight.decrementAndGet();
            stats.requestsRefused.increment();
            return CompletableFuture.failedFuture(new IllegalStateException("too many push/pull requests"));
        }
        stats.messagesReceived.increment();
        // Whatever happens to the request in the node (an actor failure, a full stash), it stops counting as open
        // once the requester would have given up on it anyway.
        CompletableFuture<byte[]> reply =
                new CompletableFuture<byte[]>().orTimeout(streamTimeout.toMillis(), TimeUnit.MILLISECONDS);
        reply.whenComplete((r, e) -> requestsInFlight.decrementAndGet());
        siblings.syncer().tell(new SyncerActor.InboundRequest(from, pushPull, reply));
        return reply.thenApply(security::seal);
    }

    /** Whether {@code from} is inside the allow-list; a source outside it is dropped and counted, nothing decoded. */
    private boolean allowed(Address from) {
        if (security.settings().allowedCidrs().allows(from.host())) {
            return true;
        }
        drop(from, Rejection.NOT_ALLOWED, "source outside allowed-cidrs");
        return false;
    }

    private void drop(Address from, Rejection reason, String detail) {
        stats.dropped(reason);
        dropLog.warn("{}: dropped input from {}: {} ({})", self, from, reason, detail);
    }
}
