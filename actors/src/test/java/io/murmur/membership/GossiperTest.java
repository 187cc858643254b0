package io.murmur.membership;

import static io.murmur.membership.CoreFixtures.MS;
import static io.murmur.membership.CoreFixtures.SECOND;
import static io.murmur.membership.CoreFixtures.addressOf;
import static io.murmur.membership.CoreFixtures.alive;
import static io.murmur.membership.CoreFixtures.info;
import static io.murmur.membership.CoreFixtures.member;
import static io.murmur.membership.CoreFixtures.only;
import static io.murmur.membership.CoreFixtures.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Decoded;
import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Compound;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.Message.UserMessage;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.NodeState;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Piggy-backing and gossip rounds (memberlist {@code sendMsg}, {@code gossip}), checked on decoded packets. */
class GossiperTest {

    private static final String SELF = "self";
    private static final long GOSSIP_INTERVAL = 200 * MS; // LAN
    private static final Address PEER = addressOf("peer");

    private final Codec codec = new Codec();

    private Gossiper gossiper(MembershipConfig config, long seed) {
        return new Gossiper(SELF, codec, config, new SplittableRandom(seed));
    }

    private List<Message> decode(byte[] packet) {
        Decoded d = codec.decodePacket(packet);
        Message m = assertInstanceOf(Decoded.Ok.class, d, () -> "undecodable packet: " + d)
                .message();
        return m instanceof Compound c ? c.parts() : List.of(m);
    }

    private List<Message> decode(Effect.Transmit t) {
        return decode(t.packet());
    }

    private static Ping ping(int seqNo) {
        return new Ping(seqNo, "peer", SELF, addressOf(SELF));
    }

    /** An alive message about {@code name} with {@code metaBytes} of metadata. */
    private static Alive aliveAbout(String name, int metaBytes) {
        return new Alive(1, info(name).withMeta(Bytes.of(new byte[metaBytes])));
    }

    private static Effect.Broadcast broadcast(String name, int metaBytes) {
        return new Effect.Broadcast(name, aliveAbout(name, metaBytes), null);
    }

    private static long count(List<Message> parts, Class<? extends Message> type) {
        return parts.stream().filter(type::isInstance).count();
    }

    /** A gossiper that knows self and the given members, all alive. */
    private static CoreFixtures.ViewFeed membersOf(Gossiper g, String... names) {
        CoreFixtures.ViewFeed feed = new CoreFixtures.ViewFeed(g::onChange);
        feed.put(alive(SELF));
        for (String n : names) {
            feed.put(alive(n));
        }
        return feed;
    }

    // ---------------------------------------------------------------------------------------------------------
    // send: one packet with broadcasts piggy-backed

    @Test
    void sendWithNothingQueuedFramesTheMessageAlone() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        List<Effect> effects = g.send(new Effect.Send(PEER, List.of(ping(5))));
        Effect.Transmit t = single(effects, Effect.Transmit.class);
        assertEquals(PEER, t.to());
        assertEquals(List.of(ping(5)), decode(t));
        assertEquals(1, g.packets());
    }

    @Test
    void sendPiggybacksQueuedBroadcastsAfterThePrimaryMessages() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        Set<Message> queued = new HashSet<>();
        for (String n : List.of("a", "b", "c")) {
            Effect.Broadcast b = broadcast(n, 10);
            g.queue(b, 0L);
            queued.add(b.message());
        }
        g.queueUser(Bytes.utf8("hello"));
        Suspect suspect = new Suspect(3, "peer", SELF);

        List<Message> parts =
                decode(single(g.send(new Effect.Send(PEER, List.of(ping(5), suspect))), Effect.Transmit.class));

        assertEquals(List.of(ping(5), suspect), parts.subList(0, 2), "the primary messages first, in order");
        Set<Message> piggybacked = new HashSet<>(parts.subList(2, parts.size()));
        assertTrue(piggybacked.contains(new UserMessage(Bytes.utf8("hello"))), parts.toString());
        piggybacked.remove(new UserMessage(Bytes.utf8("hello")));
        assertEquals(queued, piggybacked);
        assertEquals(4, g.piggybacked());
    }

    @ParameterizedTest(name = "packet-size {0}")
    @ValueSource(ints = {256, 576, 1400, 9000})
    void sendNeverExceedsThePacketSize(int packetSize) {
        MembershipConfig config =
                MembershipConfig.lan().toBuilder().packetSize(packetSize).build();
        Gossiper g = gossiper(config, 3);
        SplittableRandom random = new SplittableRandom(packetSize);
        for (int i = 0; i < 400; i++) {
            // Up to the meta limit, so that some broadcasts do not fit a small packet at all.
            g.queue(broadcast("n" + i, random.nextInt(NodeInfo.MAX_META_BYTES + 1)), 0L);
            if (i % 4 == 0) {
                g.queueUser(Bytes.of(new byte[random.nextInt(300)]));
            }
        }
        int piggybacked = 0;
        for (int i = 0; i < 300; i++) {
            Effect.Transmit t = single(g.send(new Effect.Send(PEER, List.of(ping(i)))), Effect.Transmit.class);
            assertTrue(t.packet().length <= packetSize, "packet " + i + ": " + t.packet().length + " bytes");
            List<Message> parts = decode(t);
            assertEquals(ping(i), parts.get(0));
            piggybacked += parts.size() - 1;
        }
        assertTrue(piggybacked > 150, "broadcasts rode along: " + piggybacked);
    }

    @Test
    void packetsAreFilledWhenThereIsEnoughToSend() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        for (int i = 0; i < 200; i++) {
            g.queue(broadcast("n" + i, i % 40), 0L);
        }
        byte[] packet = single(g.send(new Effect.Send(PEER, List.of(ping(1)))), Effect.Transmit.class)
                .packet();
        assertTrue(packet.length > 1400 * 0.9, "no user broadcasts: membership may use it all, used " + packet.length);
    }

    @Test
    void userShareNotNeededByUserBroadcastsGoesToMembership() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        for (int i = 0; i < 200; i++) {
            g.queue(broadcast("n" + i, i % 40), 0L);
        }
        g.queueUser(Bytes.utf8("tiny"));
        byte[] packet = single(g.send(new Effect.Send(PEER, List.of(ping(1)))), Effect.Transmit.class)
                .packet();
        List<Message> parts = decode(packet);
        assertEquals(1, count(parts, UserMessage.class));
        assertTrue(packet.length > 1400 * 0.9, "used " + packet.length);
    }

    @Test
    void queueingABroadcastAboutTheSameNodeReportsTheReplacedToken() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        assertEquals(List.of(), g.queue(new Effect.Broadcast("a", aliveAbout("a", 0), "first"), 0L));
        assertEquals(
                List.of(new Effect.BroadcastDone("first")),
                g.queue(new Effect.Broadcast("a", new Suspect(1, "a", SELF), null), 0L));
        assertEquals(1, g.queuedMembership());
        List<Message> parts = decode(single(g.send(new Effect.Send(PEER, List.of(ping(1)))), Effect.Transmit.class));
        assertEquals(List.of(ping(1), new Suspect(1, "a", SELF)), parts);
    }

    @Test
    void userBroadcastsAreCountedByKindUntilPrunedOrSent() {
        Gossiper g = gossiper(
                MembershipConfig.lan().toBuilder().userBroadcastQueueLimit(3).build(), 1);
        List<Effect> out = new java.util.ArrayList<>();
        assertTrue(g.queueUser(Bytes.utf8("e1"), null, out, 1, "events"));
        assertTrue(g.queueUser(Bytes.utf8("q1"), null, out, 1, "queries"));
        assertTrue(g.queueUser(Bytes.utf8("plain")));
        assertEquals(Map.of("events", 1, "queries", 1), g.queuedUserByKind());
        // The limit of 3 prunes one: the oldest of the smallest (e1), and the count of its kind with it.
        assertTrue(g.queueUser(Bytes.utf8("e2"), null, out, 1, "events"));
        assertEquals(3, g.queuedUser());
        assertEquals(Map.of("events", 1, "queries", 1), g.queuedUserByKind());
    }

    @Test
    void userBroadcastQueueIsPrunedToItsLimit() {
        Gossiper g = gossiper(
                MembershipConfig.lan().toBuilder().userBroadcastQueueLimit(5).build(), 1);
        for (int i = 0; i < 8; i++) {
            g.queueUser(Bytes.utf8("u" + i));
        }
        assertEquals(5, g.queuedUser());
    }

    // ---------------------------------------------------------------------------------------------------------
    // the user-broadcast share

    @Test
    void userBroadcastsGoOutInEveryPacketWhileMembershipIsFlooded() {
        Gossiper g = gossiper(MembershipConfig.lan(), 5);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 400; i++) {
            g.queue(broadcast("n" + i, random.nextInt(NodeInfo.MAX_META_BYTES + 1)), 0L);
        }
        for (int i = 0; i < 30; i++) {
            g.queueUser(Bytes.of(new byte[100 + i]));
        }
        int packets = 0;
        while (g.queuedUser() > 0) {
            assertTrue(g.queuedMembership() > 100, "the membership queue is still flooded");
            List<Message> parts =
                    decode(single(g.send(new Effect.Send(PEER, List.of(ping(packets)))), Effect.Transmit.class));
            assertTrue(count(parts, UserMessage.class) >= 1, "packet " + packets + " carries no user broadcast");
            assertTrue(count(parts, Alive.class) >= 1, "packet " + packets + " carries no membership broadcast");
            packets++;
        }
        assertTrue(packets > 10, "took " + packets + " packets");
    }

    @Test
    void userBroadcastLargerThanTheShareStillGoesOutWhileMembershipIsFlooded() {
        Gossiper g = gossiper(MembershipConfig.lan(), 5);
        membersOf(g, "a", "b", "c", "d", "e", "f", "g", "h", "i"); // N = 10: sent 8 times
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 400; i++) {
            g.queue(broadcast("n" + i, random.nextInt(NodeInfo.MAX_META_BYTES + 1)), 0L);
        }
        // A serf user event may carry 512 bytes: more than a quarter of a 1400-byte packet.
        UserMessage big = new UserMessage(Bytes.of(new byte[512]));
        g.queueUser(big.payload());
        int carried = 0;
        for (int i = 0; i < 20 && g.queuedUser() > 0; i++) {
            assertTrue(g.queuedMembership() > 100, "the membership queue is still flooded");
            List<Message> parts =
                    decode(single(g.send(new Effect.Send(PEER, List.of(ping(i)))), Effect.Transmit.class));
            assertTrue(parts.contains(big), "packet " + i + " carries no user broadcast");
            carried++;
        }
        assertEquals(8, carried, "in every packet until its retransmit limit");
    }

    @Test
    void userBroadcastsGetASlotInGossipRoundsWhileMembershipIsFlooded() {
        Gossiper g = gossiper(MembershipConfig.lan(), 5);
        membersOf(g, "a", "b", "c", "d", "e");
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 400; i++) {
            g.queue(broadcast("n" + i, random.nextInt(NodeInfo.MAX_META_BYTES + 1)), 0L);
        }
        for (int i = 0; i < 12; i++) {
            g.queueUser(Bytes.of(new byte[150]));
        }
        long now = 0;
        while (g.queuedUser() > 0) {
            now += GOSSIP_INTERVAL;
            for (Effect.Transmit t : only(g.onTimer(Gossiper.GossipTick.INSTANCE, now), Effect.Transmit.class)) {
                assertTrue(count(decode(t), UserMessage.class) >= 1, "a gossip packet without a user broadcast");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // gossip rounds

    @Test
    void firstRoundIsStaggeredWithinOneInterval() {
        for (long seed = 0; seed < 50; seed++) {
            Effect.StartTimer t = assertInstanceOf(
                    Effect.StartTimer.class,
                    gossiper(MembershipConfig.lan(), seed).start(0).get(0));
            assertEquals(Gossiper.GossipTick.INSTANCE, t.key());
            assertTrue(t.delayNanos() >= 0 && t.delayNanos() < GOSSIP_INTERVAL, t.toString());
        }
    }

    @Test
    void zeroGossipIntervalDisablesRounds() {
        Gossiper g = gossiper(
                MembershipConfig.lan().toBuilder().gossipInterval(Duration.ZERO).build(), 1);
        assertEquals(List.of(), g.start(0));
    }

    @Test
    void deathGoesOutAtOnceInARoundOfItsOwn() {
        Gossiper g = gossiper(MembershipConfig.lan(), 3);
        membersOf(g, "a", "b", "c", "d", "e");
        List<Effect> effects = g.queue(new Effect.Broadcast("e", new Message.Dead(1, "e", SELF), null), SECOND);
        List<Effect.Transmit> sent = only(effects, Effect.Transmit.class);
        assertEquals(3, sent.size(), "gossip-nodes targets: " + effects);
        for (Effect.Transmit t : sent) {
            assertEquals(1, count(decode(t), Message.Dead.class), t.to().toString());
        }
        assertEquals(0, only(effects, Effect.StartTimer.class).size(), "the tick keeps its own schedule");
    }

    @Test
    void otherBroadcastsWaitForTheNextRound() {
        Gossiper g = gossiper(MembershipConfig.lan(), 3);
        membersOf(g, "a", "b", "c");
        assertEquals(List.of(), g.queue(broadcast("x", 0), SECOND));
        assertEquals(List.of(), g.queue(new Effect.Broadcast("a", new Suspect(1, "a", SELF), null), SECOND));
    }

    @Test
    void deathIsNotPushedWhenRoundsAreDisabled() {
        Gossiper g = gossiper(
                MembershipConfig.lan().toBuilder().gossipInterval(Duration.ZERO).build(), 3);
        membersOf(g, "a", "b", "c");
        assertEquals(List.of(), g.queue(new Effect.Broadcast("c", new Message.Dead(1, "c", SELF), null), SECOND));
    }

    @Test
    void roundWithNothingQueuedOnlySchedulesTheNext() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        membersOf(g, "a", "b");
        assertEquals(
                List.of(new Effect.StartTimer(Gossiper.GossipTick.INSTANCE, GOSSIP_INTERVAL)),
                g.onTimer(Gossiper.GossipTick.INSTANCE, SECOND));
    }

    @Test
    void roundSendsToAtMostGossipNodesDistinctMembers() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        String[] names = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
        membersOf(g, names);
        Map<Address, Integer> hits = new HashMap<>();
        for (int round = 0; round < 100; round++) {
            g.queue(broadcast("n" + round, 0), 0L);
            List<Effect> effects = g.onTimer(Gossiper.GossipTick.INSTANCE, round * GOSSIP_INTERVAL);
            assertEquals(new Effect.StartTimer(Gossiper.GossipTick.INSTANCE, GOSSIP_INTERVAL), effects.get(0));
            List<Effect.Transmit> sent = only(effects, Effect.Transmit.class);
            assertEquals(3, sent.size(), "gossip-nodes targets in round " + round);
            Set<Address> to = new HashSet<>();
            for (Effect.Transmit t : sent) {
                assertTrue(to.add(t.to()), "distinct targets");
                assertTrue(!t.to().equals(addressOf(SELF)), "never self");
                hits.merge(t.to(), 1, Integer::sum);
            }
        }
        assertEquals(names.length, hits.size(), "everybody gets gossip sooner or later: " + hits);
    }

    @Test
    void roundTargetsAreAliveSuspectOrRecentlyDeadMembers() {
        Gossiper g = gossiper(MembershipConfig.lan(), 2);
        long now = 100 * SECOND;
        CoreFixtures.ViewFeed feed = membersOf(g, "alive");
        feed.put(member("suspect", 1, NodeState.SUSPECT, now - SECOND));
        feed.put(member("recently-dead", 1, NodeState.DEAD, now - 10 * SECOND));
        feed.put(member("long-dead", 1, NodeState.DEAD, now - 31 * SECOND));
        feed.put(member("left", 1, NodeState.LEFT, now - SECOND));
        Set<Address> expected = Set.of(addressOf("alive"), addressOf("suspect"), addressOf("recently-dead"));
        for (int round = 0; round < 50; round++) {
            g.queue(broadcast("n" + round, 0), 0L);
            Set<Address> to = new HashSet<>();
            for (Effect.Transmit t : only(g.onTimer(Gossiper.GossipTick.INSTANCE, now), Effect.Transmit.class)) {
                to.add(t.to());
            }
            assertEquals(expected, to, "round " + round);
        }
    }

    @Test
    void deadMemberGetsGossipUntilTheGossipToTheDeadTime() {
        Gossiper g = gossiper(MembershipConfig.lan(), 2);
        CoreFixtures.ViewFeed feed = membersOf(g);
        feed.put(member("dead", 1, NodeState.DEAD, 0));
        g.queue(broadcast("x", 0), 0L);
        assertEquals(
                1,
                only(g.onTimer(Gossiper.GossipTick.INSTANCE, 30 * SECOND), Effect.Transmit.class)
                        .size());
        assertEquals(
                0,
                only(g.onTimer(Gossiper.GossipTick.INSTANCE, 30 * SECOND + 1), Effect.Transmit.class)
                        .size());
    }

    @Test
    void eachBroadcastIsTransmittedAtMostItsRetransmitLimit() {
        Gossiper g = gossiper(MembershipConfig.lan(), 4);
        // self + 9: N = 10, so the limit is 4 * ceil(log10(11)) = 8.
        membersOf(g, "a", "b", "c", "d", "e", "f", "g", "h", "i");
        Alive message = aliveAbout("x", 3);
        g.queue(new Effect.Broadcast("x", message, "token"), 0L);
        int transmissions = 0;
        int done = 0;
        for (int round = 0; round < 20; round++) {
            List<Effect> effects = g.onTimer(Gossiper.GossipTick.INSTANCE, round * GOSSIP_INTERVAL);
            done += only(effects, Effect.BroadcastDone.class).size();
            for (Effect.Transmit t : only(effects, Effect.Transmit.class)) {
                transmissions +=
                        (int) decode(t).stream().filter(message::equals).count();
            }
            // Probes and acks take their share too.
            List<Effect> sent = g.send(new Effect.Send(PEER, List.of(ping(round))));
            done += only(sent, Effect.BroadcastDone.class).size();
            transmissions += (int) decode(single(sent, Effect.Transmit.class)).stream()
                    .filter(message::equals)
                    .count();
        }
        assertEquals(8, transmissions);
        assertEquals(1, done, "the done token is reported once");
        assertEquals(0, g.queuedMembership());
    }

    @Test
    void broadcastsAreTakenSeparatelyForEachTarget() {
        Gossiper g = gossiper(MembershipConfig.lan(), 4);
        // self + 3: N = 4, limit 4 * ceil(log10(5)) = 4. One round to 3 targets spends 3 of them.
        membersOf(g, "a", "b", "c");
        Alive message = aliveAbout("x", 0);
        g.queue(new Effect.Broadcast("x", message, null), 0L);

        List<Effect.Transmit> first = only(g.onTimer(Gossiper.GossipTick.INSTANCE, 0), Effect.Transmit.class);
        assertEquals(3, first.size());
        for (Effect.Transmit t : first) {
            assertEquals(List.of(message), decode(t));
        }
        assertEquals(1, g.queuedMembership());

        List<Effect.Transmit> second =
                only(g.onTimer(Gossiper.GossipTick.INSTANCE, GOSSIP_INTERVAL), Effect.Transmit.class);
        assertEquals(1, second.size(), "one transmission left, and empty packets are not sent");
        assertEquals(0, g.queuedMembership());
    }

    @Test
    void forgottenMemberThatRejoinsIsNotFavouredAsTarget() {
        Gossiper g = gossiper(MembershipConfig.lan().toBuilder().gossipNodes(1).build(), 9);
        CoreFixtures.ViewFeed feed = membersOf(g, "a", "b");
        for (int cycle = 0; cycle < 3; cycle++) {
            feed.forget("b");
            feed.put(alive("b"));
        }
        Map<Address, Integer> hits = new HashMap<>();
        for (int round = 0; round < 2000; round++) {
            g.queue(broadcast("x", 0), 0L);
            for (Effect.Transmit t : only(g.onTimer(Gossiper.GossipTick.INSTANCE, 0), Effect.Transmit.class)) {
                hits.merge(t.to(), 1, Integer::sum);
            }
        }
        int b = hits.getOrDefault(addressOf("b"), 0);
        assertTrue(b > 850 && b < 1150, "b picked " + b + " of 2000 rounds, a " + hits.get(addressOf("a")));
    }

    @Test
    void countersFollowPacketsAndPiggybackedBroadcasts() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        membersOf(g, "a", "b", "c");
        g.queue(broadcast("x", 0), 0L);
        g.queue(broadcast("y", 0), 0L);
        g.onTimer(Gossiper.GossipTick.INSTANCE, 0);
        assertEquals(3, g.packets());
        assertEquals(6, g.piggybacked());
    }

    @Test
    void foreignTimerIsRejected() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        assertThrows(IllegalArgumentException.class, () -> g.onTimer(Prober.ProbeTick.INSTANCE, 0));
    }

    @Test
    void userBroadcastAloneGoesOutInARound() {
        Gossiper g = gossiper(MembershipConfig.lan(), 1);
        membersOf(g, "a");
        g.queueUser(Bytes.utf8("event"));
        Effect.Transmit t = single(g.onTimer(Gossiper.GossipTick.INSTANCE, 0), Effect.Transmit.class);
        assertEquals(addressOf("a"), t.to());
        assertEquals(List.of(new UserMessage(Bytes.utf8("event"))), decode(t));
    }
}
