package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.murmur.protocol.CidrAllowList;
import io.murmur.protocol.Keyring;
import io.murmur.protocol.SecuritySettings;
import io.murmur.protocol.WireSecurity;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityConfigTest {

    @Test
    void defaultsArePlaintextWithoutLabelAndEveryoneAllowed() {
        SecuritySettings s = SecurityConfig.fromConfig(ConfigFactory.defaultReference(), null);
        assertNull(s.keyring());
        assertEquals("", s.label());
        assertTrue(s.verifyIncoming());
        assertTrue(s.verifyOutgoing());
        assertFalse(s.compression());
        assertSame(CidrAllowList.ALLOW_ALL, s.allowedCidrs());
        assertEquals(0, WireSecurity.overheadOf(s));
    }

    @Test
    void everyKeyIsReadAndTheKeyringIsHandedIn() {
        Keyring ring = Keyring.of(List.of(new byte[32]));
        SecuritySettings s = SecurityConfig.fromConfig(
                ConfigFactory.parseString(
                                "murmur.membership { label = prod, verify-incoming = false,"
                                        + " verify-outgoing = true, compression = on, allowed-cidrs = [\"10.0.0.0/8\", \"fd00::/8\"] }")
                        .withFallback(ConfigFactory.defaultReference()),
                ring);
        assertSame(ring, s.keyring());
        assertEquals("prod", s.label());
        assertFalse(s.verifyIncoming());
        assertTrue(s.encryptsOutgoing());
        assertTrue(s.compression());
        assertEquals(List.of("10.0.0.0/8", "fd00::/8"), s.allowedCidrs().cidrs());
    }

    @Test
    void aBadCidrNamesTheKeyAndTheEntry() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SecurityConfig.fromConfig(
                        ConfigFactory.parseString("murmur.membership.allowed-cidrs = [\"10.0.0.0/40\"]")
                                .withFallback(ConfigFactory.defaultReference()),
                        null));
        assertTrue(e.getMessage().contains("allowed-cidrs") && e.getMessage().contains("10.0.0.0/40"), e.getMessage());
    }

    @Test
    void thePacketBudgetLeavesRoomForTheEnvelope() {
        MembershipConfig lan = MembershipConfig.lan();
        SecuritySettings s =
                SecuritySettings.encrypted(Keyring.of(List.of(new byte[16]))).withLabel("prod");
        assertEquals(
                lan.packetSize() - 29 - 5,
                PacketBudget.forCores(lan, WireSecurity.overheadOf(s)).packetSize());
        assertEquals(Node.maxUserPayload(lan) - 34, Node.maxUserPayload(lan, s));
        assertSame(lan, PacketBudget.forCores(lan, 0));
    }
}
