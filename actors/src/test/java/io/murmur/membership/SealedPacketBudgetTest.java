package io.murmur.membership;

import static io.murmur.membership.CoreFixtures.addressOf;
import static io.murmur.membership.CoreFixtures.info;
import static io.murmur.membership.CoreFixtures.single;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Bytes;
import io.murmur.protocol.Codec;
import io.murmur.protocol.Keyring;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.NodeInfo;
import io.murmur.protocol.SecuritySettings;
import io.murmur.protocol.WireSecurity;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A gossiper given the node's packet budget fills packets that, once sealed, still fit the packet size. */
class SealedPacketBudgetTest {

    @ParameterizedTest(name = "packet-size {0}")
    @ValueSource(ints = {576, 1400, 9000})
    void sealedPacketsNeverExceedThePacketSizeAndAreStillFilled(int packetSize) {
        MembershipConfig config =
                MembershipConfig.lan().toBuilder().packetSize(packetSize).build();
        SecuritySettings security = SecuritySettings.encrypted(Keyring.of(List.of(new byte[32])))
                .withLabel("a-rather-long-cluster-label-" + "x".repeat(200));
        WireSecurity wire = new WireSecurity(security, new Codec().limits());
        Codec codec = new Codec();
        Gossiper g = new Gossiper(
                "self", codec, PacketBudget.forCores(config, wire.overhead()), new SplittableRandom(packetSize));
        SplittableRandom random = new SplittableRandom(packetSize);
        for (int i = 0; i < 400; i++) {
            NodeInfo about = info("n" + i).withMeta(Bytes.of(new byte[random.nextInt(NodeInfo.MAX_META_BYTES + 1)]));
            g.queue(new Effect.Broadcast("n" + i, new Alive(1, about), null), 0L);
            if (i % 4 == 0) {
                g.queueUser(Bytes.of(new byte[random.nextInt(200)]));
            }
        }
        int largest = 0;
        for (int i = 0; i < 200; i++) {
            Effect.Transmit t = single(
                    g.send(new Effect.Send(addressOf("peer"), List.of(new Ping(i, "peer", "self", addressOf("self"))))),
                    Effect.Transmit.class);
            byte[] sealed = wire.seal(t.packet());
            assertTrue(sealed.length <= packetSize, "packet " + i + ": " + sealed.length + " bytes");
            assertInstanceOf(WireSecurity.Opened.Frame.class, wire.openPacket(sealed));
            largest = Math.max(largest, sealed.length);
        }
        assertTrue(largest > packetSize * 0.8, "packets were filled: largest " + largest);
    }
}
