package io.murmur.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Serf's {@code -iface} rules, on made-up interfaces and on this machine's loopback. */
class InterfaceAddressTest {

    private static final Map<String, List<String>> INTERFACES = Map.of(
            "eth9", List.of("fe80::1", "169.254.7.7", "10.1.2.3", "10.1.2.4"),
            "v6only", List.of("2001:db8::1"),
            "down0", List.of());

    private static final InterfaceAddress.Lookup FAKE = name -> {
        List<String> literals = INTERFACES.get(name);
        if (literals == null) {
            return Optional.empty();
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String literal : literals) {
            try {
                addresses.add(InetAddress.getByName(literal));
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return Optional.of(addresses);
    };

    private static String error(String iface, String bindHost) {
        return assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.bindHost(iface, bindHost, FAKE))
                .getMessage();
    }

    @Test
    void wildcardBindTakesTheFirstIpv4AddressThatIsNotLinkLocal() {
        assertEquals("10.1.2.3", InterfaceAddress.bindHost("eth9", "0.0.0.0", FAKE));
        assertEquals("10.1.2.3", InterfaceAddress.bindHost("eth9", "::", FAKE));
    }

    @Test
    void aBindHostMustBeOneOfTheInterfacesAddresses() {
        assertEquals("10.1.2.4", InterfaceAddress.bindHost("eth9", "10.1.2.4", FAKE));
        String e = error("eth9", "10.9.9.9");
        assertTrue(e.contains("has no address 10.9.9.9") && e.contains("10.1.2.3"), e);
    }

    @Test
    void unknownInterfacesAndInterfacesWithoutAnAddressAreNamed() {
        assertEquals("no network interface named 'nosuch0'", error("nosuch0", "0.0.0.0"));
        assertEquals("network interface 'down0' has no address", error("down0", "0.0.0.0"));
        assertTrue(error("v6only", "0.0.0.0").startsWith("network interface 'v6only' has no IPv4 address"));
    }

    @Test
    void loopbackOfThisMachine() {
        assertEquals("127.0.0.1", InterfaceAddress.bindHost("lo", "0.0.0.0", InterfaceAddress.SYSTEM));
    }
}
