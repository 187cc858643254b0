package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The profiles against memberlist's {@code DefaultLANConfig} / {@code DefaultWANConfig} / {@code DefaultLocalConfig}. */
class MembershipConfigTest {

    private static MembershipConfig parse(String hocon) {
        return MembershipConfig.fromConfig(
                ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()));
    }

    private static IllegalArgumentException rejected(String hocon) {
        return assertThrows(IllegalArgumentException.class, () -> parse(hocon), hocon);
    }

    private static void assertNames(IllegalArgumentException e, String key) {
        assertTrue(e.getMessage().contains(key), "the message names " + key + ": " + e.getMessage());
    }

    /** Reference §1.2: the memberlist knobs every profile sets. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // profile, probe-interval, probe-timeout, indirect, retransmit, susp-mult, susp-max, push-pull, tcp, awareness,
        // gossip-interval, gossip-nodes, gossip-to-the-dead
        "lan,   1000, 500,  3, 4, 4, 6, 30000, 10000, 8, 200, 3, 30000",
        "wan,   5000, 3000, 3, 4, 6, 6, 60000, 30000, 8, 500, 4, 60000",
        "local, 1000, 200,  1, 2, 3, 6, 15000, 1000,  8, 100, 3, 15000",
    })
    void profilesEqualMemberlistDefaults(
            String profile,
            long probeInterval,
            long probeTimeout,
            int indirectChecks,
            int retransmitMult,
            int suspicionMult,
            int suspicionMaxTimeoutMult,
            long pushPullInterval,
            long tcpTimeout,
            int awarenessMaxMultiplier,
            long gossipInterval,
            int gossipNodes,
            long gossipToTheDeadTime) {
        MembershipConfig c = MembershipConfig.fromProfile(profile);
        assertEquals(profile, c.profile());
        assertEquals(Duration.ofMillis(probeInterval), c.probeInterval());
        assertEquals(Duration.ofMillis(probeTimeout), c.probeTimeout());
        assertEquals(indirectChecks, c.indirectChecks());
        assertEquals(retransmitMult, c.retransmitMult());
        assertEquals(suspicionMult, c.suspicionMult());
        assertEquals(suspicionMaxTimeoutMult, c.suspicionMaxTimeoutMult());
        assertEquals(Duration.ofMillis(pushPullInterval), c.pushPullInterval());
        assertEquals(Duration.ofMillis(tcpTimeout), c.streamTimeout());
        assertEquals(awarenessMaxMultiplier, c.awarenessMaxMultiplier());
        assertEquals(Duration.ofMillis(gossipInterval), c.gossipInterval());
        assertEquals(gossipNodes, c.gossipNodes());
        assertEquals(Duration.ofMillis(gossipToTheDeadTime), c.gossipToTheDeadTime());
        // Shared by all three profiles in memberlist: UDPBufferSize 1400, DeadNodeReclaimTime 0 (never).
        assertEquals(1400, c.packetSize());
        assertEquals(Duration.ZERO, c.deadNodeReclaimTime());
    }

    @Test
    void namedConstructorsAreTheProfiles() {
        assertEquals(MembershipConfig.fromProfile("lan"), MembershipConfig.lan());
        assertEquals(MembershipConfig.fromProfile("wan"), MembershipConfig.wan());
        assertEquals(MembershipConfig.fromProfile("local"), MembershipConfig.local());
    }

    @Test
    void defaultProfileIsLan() {
        assertEquals(MembershipConfig.lan(), MembershipConfig.fromConfig(ConfigFactory.defaultReference()));
    }

    @Test
    void everyProfileSetsTheSameKeys() {
        Config profiles = ConfigFactory.defaultReference().getConfig("murmur.membership.profiles");
        Set<String> lan = keys(profiles.getConfig("lan"));
        assertEquals(lan, keys(profiles.getConfig("wan")));
        assertEquals(lan, keys(profiles.getConfig("local")));
    }

    private static Set<String> keys(Config c) {
        return c.entrySet().stream().map(Map.Entry::getKey).collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void everyReferenceKeyIsASettingAndEverySettingHasAKey() {
        Config membership = ConfigFactory.defaultReference().getConfig("murmur.membership");
        Set<String> referenceKeys = keys(membership.withoutPath("profiles"));
        referenceKeys.addAll(keys(membership.getConfig("profiles.lan")));
        // The wire security keys (read by SecurityConfig) sit beside them; the keyring is never in a file.
        Set<String> settings = Stream.concat(
                        Arrays.stream(MembershipConfig.class.getRecordComponents()),
                        Arrays.stream(io.murmur.protocol.SecuritySettings.class.getRecordComponents())
                                .filter(c -> !c.getName().equals("keyring")))
                .map(c -> c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        assertEquals(settings, referenceKeys);
    }

    @Test
    void overridesUnderMembershipWinOverTheProfile() {
        MembershipConfig c = parse("murmur.membership { profile = wan, probe-interval = 7s, gossip-nodes = 9 }");
        assertEquals("wan", c.profile());
        assertEquals(Duration.ofSeconds(7), c.probeInterval());
        assertEquals(9, c.gossipNodes());
        assertEquals(Duration.ofSeconds(3), c.probeTimeout(), "the rest still comes from the profile");
        assertEquals(6, c.suspicionMult());
    }

    @Test
    void sharedKeysCanBeOverridden() {
        MembershipConfig c = parse("murmur.membership { packet-size = 9000, dead-node-reclaim-time = 1m }");
        assertEquals(9000, c.packetSize());
        assertEquals(Duration.ofMinutes(1), c.deadNodeReclaimTime());
    }

    @Test
    void unknownProfileIsRejectedNamingIt() {
        IllegalArgumentException e = rejected("murmur.membership.profile = datacenter");
        assertNames(e, "murmur.membership.profile");
        assertNames(e, "datacenter");
    }

    @Test
    void malformedProfileIsRejectedAsIllegalArgument() {
        assertNames(rejected("murmur.membership.profile = \"\""), "profile");
        assertNames(rejected("murmur.membership.profile = \"lan.\""), "profile");
        assertNames(rejected("murmur.membership.profile = [lan]"), "profile");
    }

    @Test
    void badDurationIsRejectedNamingTheKey() {
        assertNames(rejected("murmur.membership.probe-interval = fast"), "probe-interval");
    }

    @Test
    void badNumberIsRejectedNamingTheKey() {
        assertNames(rejected("murmur.membership.indirect-checks = many"), "indirect-checks");
    }

    @Test
    void outOfRangeValuesAreRejectedNamingTheKey() {
        assertNames(rejected("murmur.membership.packet-size = 100"), "packet-size");
        assertNames(rejected("murmur.membership.retransmit-mult = 0"), "retransmit-mult");
        assertNames(rejected("murmur.membership.suspicion-mult = 0"), "suspicion-mult");
        assertNames(rejected("murmur.membership.user-broadcast-share = 1.5"), "user-broadcast-share");
        assertNames(rejected("murmur.membership.probe-interval = 0s"), "probe-interval");
        assertNames(rejected("murmur.membership.gossip-interval = -1s"), "gossip-interval");
        assertNames(rejected("murmur.membership.probe-timeout = 2s"), "probe-timeout");
        assertNames(rejected("murmur.membership.awareness-max-multiplier = 0"), "awareness-max-multiplier");
    }

    @Test
    void missingMembershipBlockIsRejectedAsIllegalArgument() {
        assertThrows(
                IllegalArgumentException.class, () -> MembershipConfig.fromConfig(ConfigFactory.parseString("a = 1")));
    }

    @Test
    void builderChangesOneValueAndValidates() {
        MembershipConfig c = MembershipConfig.lan().toBuilder()
                .probeInterval(Duration.ofSeconds(2))
                .build();
        assertEquals(Duration.ofSeconds(2), c.probeInterval());
        assertEquals(MembershipConfig.lan().probeTimeout(), c.probeTimeout());
        assertEquals(MembershipConfig.lan(), MembershipConfig.lan().toBuilder().build());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MembershipConfig.lan().toBuilder().gossipNodes(-1).build());
        assertNames(e, "gossip-nodes");
    }
}
