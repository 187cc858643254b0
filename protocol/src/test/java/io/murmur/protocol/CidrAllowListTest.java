package io.murmur.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrAllowListTest {

    @Test
    void anEmptyListAllowsEveryoneAsMemberlistsCodeDoes() {
        CidrAllowList all = CidrAllowList.parse(List.of());
        assertSame(CidrAllowList.ALLOW_ALL, all);
        assertFalse(all.isRestricted());
        assertTrue(all.allows("10.1.2.3"));
        assertTrue(all.allows("some-host-name"));
    }

    @Test
    void ipv4RulesMatchByPrefix() {
        CidrAllowList list = CidrAllowList.of("10.0.0.0/8", "192.168.1.7", "172.16.0.0/12");
        assertTrue(list.allows("10.255.0.1"));
        assertTrue(list.allows("192.168.1.7"));
        assertFalse(list.allows("192.168.1.8"));
        assertTrue(list.allows("172.31.255.255"));
        assertFalse(list.allows("172.32.0.1"));
        assertFalse(list.allows("11.0.0.1"));
        assertTrue(list.allows("::ffff:10.0.0.1"), "an IPv4-mapped IPv6 source");
        assertFalse(list.allows("fd00::1"));
        assertFalse(list.allows("localhost"), "names are never resolved");
        assertFalse(list.allows("10.0.0"));
        assertFalse(list.allows("10.0.0.256"));
    }

    @Test
    void ipv6RulesMatchByPrefixAndHostBitsAreMasked() {
        CidrAllowList list = CidrAllowList.of("fd00::/8", "2001:db8::1/128", "2001:db9:ffff::/33");
        assertTrue(list.allows("fd12:3456::1"));
        assertTrue(list.allows("[fd12::1]"));
        assertTrue(list.allows("2001:db8::1"));
        assertFalse(list.allows("2001:db8::2"));
        assertTrue(list.allows("2001:db9:8000::1"), "host bits below the prefix are ignored");
        assertFalse(list.allows("2001:db9:7fff::1"));
        assertFalse(list.allows("10.0.0.1"));
        assertTrue(CidrAllowList.of("0.0.0.0/0").allows("1.2.3.4"));
        assertTrue(CidrAllowList.of("::/0").allows("::1"));
    }

    @Test
    void badEntriesAreClearErrorsNamingTheEntry() {
        for (String bad : List.of(
                "",
                "10.0.0.0/33",
                "fd00::/129",
                "10.0.0.0/",
                "10.0.0.0/x",
                "host.example/8",
                "zz::1/8",
                "1.2.3/24",
                "10.0.0.0/-1",
                "fe80::1%eth0/64")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CidrAllowList.of(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertEquals(List.of("10.0.0.0/8"), CidrAllowList.of("10.0.0.0/8").cidrs());
    }
}
