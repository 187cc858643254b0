package io.murmur.serf;

import io.murmur.protocol.Bytes;
import io.murmur.serf.coordinate.Coordinate;
import io.murmur.serf.coordinate.CoordinateCodec;
import io.murmur.serf.coordinate.VivaldiClient;
import io.murmur.serf.coordinate.VivaldiConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * This node's network coordinate and the last coordinate each member reported (Serf's coordinate cache): updated
 * from the round trip and the coordinate in the ack of every direct probe; ours rides in our own acks.
 */
final class Coordinates {

    private final String self;
    private final VivaldiClient client;
    private final Map<String, Coordinate> cache = new HashMap<>();
    private long badPayloads;

    Coordinates(String self, RandomGenerator random) {
        this.self = self;
        this.client = new VivaldiClient(VivaldiConfig.defaults(), random);
    }

    /** Our coordinate as an ack payload. */
    Bytes ackPayload() {
        return Bytes.of(CoordinateCodec.encode(client.coordinate()));
    }

    /** A direct probe of {@code node} answered after {@code rttNanos}; true when our coordinate moved. */
    boolean onProbe(String node, long rttNanos, Bytes payload) {
        if (payload.size() == 0) {
            return false; // a member that does not compute coordinates
        }
        Optional<Coordinate> theirs = CoordinateCodec.decode(payload.toArray());
        if (theirs.isEmpty()) {
            badPayloads++;
            return false;
        }
        cache.put(node, theirs.get());
        return client.update(node, theirs.get(), rttNanos) instanceof VivaldiClient.Accepted;
    }

    void forget(String node) {
        cache.remove(node);
        client.forgetNode(node);
    }

    Optional<Coordinate> get(String node) {
        return node.equals(self) ? Optional.of(client.coordinate()) : Optional.ofNullable(cache.get(node));
    }

    /** Serf's RTT estimate between two members, when both coordinates are known. */
    Optional<Duration> estimate(String a, String b) {
        Optional<Coordinate> ca = get(a);
        Optional<Coordinate> cb = get(b);
        if (ca.isEmpty() || cb.isEmpty() || !ca.get().isCompatibleWith(cb.get())) {
            return Optional.empty();
        }
        return Optional.of(ca.get().distanceTo(cb.get()));
    }

    long badPayloads() {
        return badPayloads;
    }

    /** Times our coordinate became invalid and was reset (Serf's {@code coordinate_resets}). */
    long resets() {
        return client.resets();
    }
}
