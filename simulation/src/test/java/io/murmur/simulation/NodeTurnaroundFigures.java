package io.murmur.simulation;

import com.typesafe.config.ConfigFactory;
import io.murmur.membership.MemberEvent;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.MurmurNode;
import io.murmur.membership.NodeSettings;
import io.murmur.protocol.Address;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Decoded;
import io.murmur.protocol.Message;
import io.murmur.transport.Transport;
import io.murmur.transport.TransportStats;
import io.murmur.transport.aeron.AeronMedia;
import io.murmur.transport.aeron.AeronTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A measurement command, not a test: how long a real node takes, inside, from a packet arriving to what it causes
 * leaving, during the bench's mass join (N real nodes in one JVM over Aeron, the bench's dispatcher settings). Every
 * node's transport is wrapped in a decorator that stamps each packet in and out (and each push/pull served); the
 * packets are decoded after the run. Prints one JSON line per round (round 0 in a fresh JVM, then warm rounds with
 * fresh nodes in the same JVM):
 *
 * <ul>
 *   <li>{@code ping_ack_ms}: a ping arriving to its ack leaving (inbound poller, prober actor, gossiper actor, send);
 *   <li>{@code alive_carry_ms}: an alive arriving to the first packet leaving the same node that carries it (the
 *       member table, the gossip queue, and the wait for the next gossip round or probe), and {@code alive_stale_ms},
 *       the latest packet that left after the arrival without it (only counted when one did): how long the alive
 *       took to reach the gossip queue, at least;
 *   <li>{@code gossip_spacing_ms}: the time between consecutive gossip rounds of a node (packets with broadcasts
 *       only, grouped per round), against the configured 100 ms;
 *   <li>{@code timer_late_ms}: how late a 100 ms single timer, re-armed when it fires (as the gossiper's is), is
 *       handled by an actor on the same dispatcher;
 *   <li>{@code serve_ms}: a push/pull request arriving to its response being handed back;
 *   <li>on a line of its own, {@code join_exchange_ms} and {@code join_answered_at_ms}: the joins' push/pull exchanges
 *       with node 0 (sent to answered), and when they were answered, counted from the start of the joins.
 * </ul>
 *
 * <pre>
 * java -cp ... io.murmur.simulation.NodeTurnaroundFigures nodes=200 seed=1 rounds=2
 * </pre>
 */
public final class NodeTurnaroundFigures {

    private NodeTurnaroundFigures() {}

    /** One packet in or out of node {@code node}, or a push/pull served ({@code kind} 2: in, 3: answered). */
    private record Stamp(long at, int node, int kind, Address peer, byte[] bytes) {}

    private static final ConcurrentLinkedQueue<Stamp> STAMPS = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<long[]> EXCHANGES = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<long[]> TIMERS = new ConcurrentLinkedQueue<>();

    /** The bench's dispatcher (agent's application.conf). */
    private static final String DISPATCHER = "pekko.actor.default-dispatcher.fork-join-executor {"
            + " parallelism-min = 2, parallelism-factor = 1.0, parallelism-max = 4 }\n"
            + "pekko.loglevel = WARNING\n";

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(arg(args, "nodes", "20"));
        long seed = Long.parseLong(arg(args, "seed", "1"));
        int rounds = Integer.parseInt(arg(args, "rounds", "2"));
        ActorSystem<Void> system = ActorSystem.create(
                Behaviors.empty(),
                "turnaround",
                ConfigFactory.parseString(DISPATCHER).withFallback(ConfigFactory.load()));
        try (AeronMedia media = AeronMedia.acquire()) {
            for (int round = 0; round < rounds; round++) {
                round(system, media, n, seed, round);
                pause(6); // idle routes close (5 s): the next round's contacts are first contacts again
            }
        } finally {
            system.terminate();
        }
        System.exit(0);
    }

    private static void round(ActorSystem<Void> system, AeronMedia media, int n, long seed, int round)
            throws Exception {
        MembershipConfig config = MembershipConfig.local();
        STAMPS.clear();
        TIMERS.clear();
        EXCHANGES.clear();
        List<MurmurNode> nodes = new ArrayList<>();
        List<Set<String>> alive = new ArrayList<>();
        AtomicLongArray convergedAt = new AtomicLongArray(n);
        CountDownLatch converged = new CountDownLatch(n);
        Map<Address, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            alive.add(new HashSet<>());
            Transport t = new Stamped(AeronTransport.bind(media, new Address("127.0.0.1", 0)), i);
            indexOf.put(t.localAddress(), i);
            MurmurNode node = MurmurNode.start(
                    system,
                    NodeSettings.of("r" + round + "n" + i, t.localAddress(), config)
                            .withSeed(seed * 1_000_003L + i),
                    t);
            node.subscribe(
                    system.systemActorOf(
                            Behaviors.<MemberEvent>receiveMessage(e -> {
                                if (e.type() == MemberEvent.Type.JOIN) {
                                    Set<String> a = alive.get(index);
                                    a.add(e.member().name());
                                    if (a.size() == n && convergedAt.compareAndSet(index, 0, System.nanoTime())) {
                                        converged.countDown();
                                    }
                                }
                                return Behaviors.same();
                            }),
                            "ev-" + round + "-" + i,
                            org.apache.pekko.actor.typed.Props.empty()),
                    true);
            nodes.add(node);
        }
        for (MurmurNode m : nodes) {
            m.members().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        for (int p = 0; p < 5; p++) {
            system.systemActorOf(timerProbe(), "timer-" + round + "-" + p, org.apache.pekko.actor.typed.Props.empty());
        }
        long t0 = System.nanoTime();
        Address seedAddress = nodes.get(0).address();
        for (MurmurNode m : nodes.subList(1, n)) {
            m.join(seedAddress);
        }
        converged.await(120, TimeUnit.SECONDS);
        long t1 = Arrays.stream(toArray(convergedAt)).max().orElse(t0);
        pause(3);
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (MurmurNode m : nodes) {
            stops.add(m.stop().toCompletableFuture());
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<Stamp> stamps = new ArrayList<>(STAMPS);
        List<long[]> timers = new ArrayList<>(TIMERS);
        analyse(round, n, seed, t0, t1, stamps, timers, indexOf);
    }

    /** An actor that re-arms a 100 ms single timer each time it fires, as the gossiper does, and records lateness. */
    private static Behavior<Long> timerProbe() {
        return Behaviors.withTimers(timers -> {
            timers.startSingleTimer("t", System.nanoTime(), Duration.ofMillis(100));
            return Behaviors.receiveMessage(armedAt -> {
                long now = System.nanoTime();
                TIMERS.add(new long[] {now, now - armedAt - 100_000_000L});
                timers.startSingleTimer("t", now, Duration.ofMillis(100));
                return Behaviors.same();
            });
        });
    }

    // --- analysis

    private static void analyse(
            int round,
            int n,
            long seed,
            long t0,
            long t1,
            List<Stamp> stamps,
            List<long[]> timers,
            Map<Address, Integer> indexOf) {
        Codec codec = new Codec();
        stamps.sort((a, b) -> Long.compare(a.at(), b.at()));
        // Per node: its outbound packets in time order, decoded.
        List<List<Out>> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outs.add(new ArrayList<>());
        }
        List<Stamp> ins = new ArrayList<>();
        Map<Long, Long> requestIn = new HashMap<>();
        List<Double> serveJoin = new ArrayList<>();
        for (Stamp s : stamps) {
            if (s.kind() == 1) {
                outs.get(s.node()).add(new Out(s.at(), s.peer(), parts(codec, s.bytes())));
            } else if (s.kind() == 0) {
                ins.add(s);
            } else if (s.kind() == 2) {
                requestIn.put(((long) s.node() << 32) | System.identityHashCode(s.bytes()), s.at());
            } else {
                Long in = requestIn.get(((long) s.node() << 32) | System.identityHashCode(s.bytes()));
                if (in != null && in <= t1) {
                    serveJoin.add((s.at() - in) / 1e6);
                }
            }
        }
        List<Double> pingJoin = new ArrayList<>();
        List<Double> pingSteady = new ArrayList<>();
        List<Double> carryJoin = new ArrayList<>();
        List<Double> staleJoin = new ArrayList<>();
        Set<String> seenAlive = new HashSet<>();
        double[] carryByTime = new double[10];
        int[] carriesByTime = new int[10];
        List<Double> nextRound = new ArrayList<>();
        int alivesCounted = 0;
        for (Stamp s : ins) {
            List<Out> out = outs.get(s.node());
            for (Message m : parts(codec, s.bytes())) {
                if (m instanceof Message.Ping p) {
                    Out ack = first(
                            out, s.at(), o -> o.acks(p.seqNo()) && (o.to.equals(s.peer()) || o.to.equals(p.source())));
                    if (ack != null) {
                        double d = (ack.at - s.at()) / 1e6;
                        if (s.at() <= t1) {
                            pingJoin.add(d);
                        } else if (s.at() > t1 + 1_000_000_000L) {
                            pingSteady.add(d);
                        }
                    }
                } else if (m instanceof Message.Alive a && s.at() <= t1) {
                    String key = s.node() + "/" + a.node().name() + "/" + a.incarnation();
                    Integer self = indexOf.get(a.node().address());
                    if ((self != null && self == s.node()) || !seenAlive.add(key)) {
                        continue;
                    }
                    // Only when this node did not carry it before (then it learned it elsewhere first).
                    Out before = first(out, Long.MIN_VALUE, o -> o.carries(a));
                    if (before != null && before.at < s.at()) {
                        continue;
                    }
                    Out carry = first(out, s.at(), o -> o.carries(a));
                    if (carry == null) {
                        continue;
                    }
                    alivesCounted++;
                    carryJoin.add((carry.at - s.at()) / 1e6);
                    int bucket = (int) Math.min(9, (s.at() - t0) / 100_000_000L);
                    carryByTime[bucket] += (carry.at - s.at()) / 1e6;
                    carriesByTime[bucket]++;
                    Out next = first(out, s.at(), o -> !o.probe);
                    if (next != null) {
                        nextRound.add((next.at - s.at()) / 1e6);
                    }
                    long stale = -1;
                    for (Out o : out) {
                        if (o.at > s.at() && o.at < carry.at && o.hasBroadcastRoom()) {
                            stale = o.at;
                        }
                    }
                    if (stale > 0) {
                        staleJoin.add((stale - s.at()) / 1e6);
                    }
                }
            }
        }
        // Gossip rounds: a node's packets with broadcasts only, grouped when within 3 ms of the round's first.
        List<Double> spacing = new ArrayList<>();
        for (List<Out> out : outs) {
            long roundStart = -1;
            for (Out o : out) {
                if (o.probe || o.at > t1 + 3_000_000_000L) {
                    continue;
                }
                if (roundStart < 0 || o.at - roundStart > 3_000_000) {
                    if (roundStart > 0 && o.at - roundStart < 180_000_000 && roundStart >= t0) {
                        spacing.add((o.at - roundStart) / 1e6);
                    }
                    roundStart = o.at;
                }
            }
        }
        List<Double> exchange = new ArrayList<>();
        List<Double> exchangeDone = new ArrayList<>();
        for (long[] e : EXCHANGES) {
            if (e[0] >= t0 && e[0] <= t0 + 50_000_000L) {
                exchange.add((e[1] - e[0]) / 1e6);
                exchangeDone.add((e[1] - t0) / 1e6);
            }
        }
        long firstIn = ins.stream()
                .filter(s -> s.at() >= t0)
                .mapToLong(Stamp::at)
                .min()
                .orElse(t0);
        System.out.printf(
                Locale.ROOT,
                "{\"join_exchange_ms\":%s,\"join_answered_at_ms\":%s,\"first_packet_in_ms\":%.1f}%n",
                summary(exchange),
                summary(exchangeDone),
                (firstIn - t0) / 1e6);
        List<Double> lateJoin = new ArrayList<>();
        List<Double> lateSteady = new ArrayList<>();
        for (long[] t : timers) {
            if (t[0] >= t0 && t[0] <= t1) {
                lateJoin.add(t[1] / 1e6);
            } else if (t[0] > t1 + 1_000_000_000L) {
                lateSteady.add(t[1] / 1e6);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "{\"round\":%d,\"nodes\":%d,\"seed\":%d,\"converge_s\":%.3f,\"ping_ack_ms\":%s,"
                        + "\"ping_ack_steady_ms\":%s,\"alive_carry_ms\":%s,\"alive_stale_ms\":%s,\"alives\":%d,"
                        + "\"gossip_spacing_ms\":%s,\"timer_late_ms\":%s,\"timer_late_steady_ms\":%s,"
                        + "\"serve_ms\":%s,\"alive_next_gossip_ms\":%s,\"carry_mean_by_100ms\":%s}%n",
                round,
                n,
                seed,
                (t1 - t0) / 1e9,
                summary(pingJoin),
                summary(pingSteady),
                summary(carryJoin),
                summary(staleJoin),
                alivesCounted,
                summary(spacing),
                summary(lateJoin),
                summary(lateSteady),
                summary(serveJoin),
                summary(nextRound),
                byTime(carryByTime, carriesByTime));
    }

    /** One packet a node sent, decoded. */
    private static final class Out {
        final long at;
        final Address to;
        final List<Message> parts;
        final boolean probe;

        Out(long at, Address to, List<Message> parts) {
            this.at = at;
            this.to = to;
            this.parts = parts;
            this.probe = parts.stream()
                    .anyMatch(m -> m instanceof Message.Ping
                            || m instanceof Message.Ack
                            || m instanceof Message.IndirectPing
                            || m instanceof Message.Nack);
        }

        boolean acks(int seqNo) {
            return parts.stream().anyMatch(m -> m instanceof Message.Ack a && a.seqNo() == seqNo);
        }

        boolean carries(Message.Alive alive) {
            return parts.stream()
                    .anyMatch(m -> m instanceof Message.Alive a
                            && a.incarnation() == alive.incarnation()
                            && a.node().name().equals(alive.node().name()));
        }

        /** Whether the packet had room for one more alive (so that one missing from it was not yet queued). */
        boolean hasBroadcastRoom() {
            int bytes = 0;
            for (Message m : parts) {
                bytes += m instanceof Message.Alive ? 60 : 20;
            }
            return bytes + 60 < 1400;
        }
    }

    private static Out first(List<Out> out, long after, java.util.function.Predicate<Out> p) {
        for (Out o : out) {
            if (o.at >= after && p.test(o)) {
                return o;
            }
        }
        return null;
    }

    private static List<Message> parts(Codec codec, byte[] packet) {
        Decoded d = codec.decodePacket(packet);
        if (!(d instanceof Decoded.Ok ok)) {
            return List.of();
        }
        return ok.message() instanceof Message.Compound c ? c.parts() : List.of(ok.message());
    }

    private static String summary(List<Double> v) {
        if (v.isEmpty()) {
            return "null";
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(
                Locale.ROOT,
                "{\"n\":%d,\"min\":%.2f,\"p10\":%.2f,\"p50\":%.2f,\"p90\":%.2f,\"p99\":%.2f,\"mean\":%.2f}",
                a.length,
                a[0],
                a[a.length / 10],
                a[a.length / 2],
                a[a.length * 9 / 10],
                a[a.length * 99 / 100],
                Arrays.stream(a).average().orElse(0));
    }

    private static String byTime(double[] sum, int[] count) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < sum.length; i++) {
            b.append(i == 0 ? "" : ",")
                    .append(count[i] == 0 ? "null" : String.format(Locale.ROOT, "%.1f", sum[i] / count[i]))
                    .append(count[i] == 0 ? "" : "/" + count[i]);
        }
        return "\"" + b.append("]\"");
    }

    private static long[] toArray(AtomicLongArray a) {
        long[] v = new long[a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i);
        }
        return v;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }

    /** A transport that stamps every packet in and out, and every push/pull served, then passes it on. */
    private static final class Stamped implements Transport {
        private final Transport delegate;
        private final int node;

        Stamped(Transport delegate, int node) {
            this.delegate = delegate;
            this.node = node;
        }

        @Override
        public Address localAddress() {
            return delegate.localAddress();
        }

        @Override
        public int maxPacketBytes() {
            return delegate.maxPacketBytes();
        }

        @Override
        public int maxStreamBytes() {
            return delegate.maxStreamBytes();
        }

        @Override
        public void start(Listener listener) {
            delegate.start(new Listener() {
                @Override
                public void onPacket(Address from, byte[] packet) {
                    STAMPS.add(new Stamp(System.nanoTime(), node, 0, from, packet));
                    listener.onPacket(from, packet);
                }

                @Override
                public CompletionStage<byte[]> onRequest(Address from, byte[] request) {
                    STAMPS.add(new Stamp(System.nanoTime(), node, 2, from, request));
                    return listener.onRequest(from, request).whenComplete((r, e) -> {
                        if (e == null) {
                            STAMPS.add(new Stamp(System.nanoTime(), node, 3, from, request));
                        }
                    });
                }
            });
        }

        @Override
        public boolean send(Address to, byte[] packet) {
            STAMPS.add(new Stamp(System.nanoTime(), node, 1, to, packet));
            return delegate.send(to, packet);
        }

        @Override
        public CompletionStage<byte[]> request(Address to, byte[] request, Duration timeout) {
            long sent = System.nanoTime();
            return delegate.request(to, request, timeout).whenComplete((r, e) -> {
                if (e == null) {
                    EXCHANGES.add(new long[] {sent, System.nanoTime()});
                }
            });
        }

        @Override
        public TransportStats stats() {
            return delegate.stats();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Waits {@code seconds} on a timer. */
    private static void pause(long seconds) {
        CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS))
                .join();
    }
}
