package io.murmur.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.1:7946|10.0.0.1|7946",
                "localhost:0|localhost|0",
                "node-1.example.com:65535|node-1.example.com|65535",
                "h:007946|h|7946",
                "[::1]:7946|::1|7946",
                "[fe80::1%eth0]:80|fe80::1%eth0|80",
                "[2001:db8::ff00:42:8329]:443|2001:db8::ff00:42:8329|443",
                "[10.0.0.1]:80|10.0.0.1|80",
                "nöde.example:1|nöde.example|1"
            })
    void hostAndPortAreParsed(String text, String host, int port) {
        assertEquals(new Address(host, port), Address.parse(text));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {
                "",
                "host",
                "host:",
                ":7946",
                "[]:7946",
                "[::1]",
                "[::1]7946",
                "[::1]:",
                "::1:7946",
                "fe80::1:80",
                "[::1:7946",
                "::1]:7946",
                "[a]b]:80",
                "a[b:80",
                "host:port",
                "host:-1",
                "host:+80",
                "host: 80",
                "host:80 ",
                "host:0x50",
                "host:٨٠",
                "host:65536",
                "host:99999999999",
                "host:1:2"
            })
    void malformedAddressIsRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> Address.parse(text));
    }

    @Test
    void nullTextIsAProgrammerError() {
        assertThrows(NullPointerException.class, () -> Address.parse(null));
    }

    @Test
    void toStringParsesBackToTheSameAddress() {
        List<Address> addresses = new ArrayList<>(List.of(
                new Address("10.0.0.1", 7946),
                new Address("::1", 0),
                new Address("fe80::1%eth0", 65535),
                new Address("example.com", 80)));
        for (Address a : addresses) {
            assertEquals(a, Address.parse(a.toString()), a::toString);
        }
        assertEquals("[::1]:7946", new Address("::1", 7946).toString());
        assertEquals("10.0.0.1:7946", new Address("10.0.0.1", 7946).toString());
    }

    @Test
    void hostOf255BytesIsAcceptedAnd256IsRejected() {
        assertEquals(255, new Address("h".repeat(255), 1).host().length());
        assertEquals(255, Utf8.length(new Address("é".repeat(127) + "h", 1).host()));
        assertThrows(IllegalArgumentException.class, () -> new Address("h".repeat(256), 1));
        assertThrows(IllegalArgumentException.class, () -> new Address("é".repeat(128), 1));
    }

    @Test
    void outOfRangePortOrEmptyHostIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Address("h", -1));
        assertThrows(IllegalArgumentException.class, () -> new Address("h", 65536));
        assertThrows(IllegalArgumentException.class, () -> new Address("", 1));
        assertThrows(NullPointerException.class, () -> new Address(null, 1));
    }

    /** Java would encode the lone surrogate as '?', so the host would not survive the wire. */
    @ParameterizedTest
    @ValueSource(strings = {"a\uD800", "\uDC00b", "a\uDC00\uD800b"})
    void hostWithAnUnpairedSurrogateIsRejected(String host) {
        assertThrows(IllegalArgumentException.class, () -> new Address(host, 1));
    }

    @Test
    void addressesOrderByHostThenPort() {
        assertTrue(new Address("a", 2).compareTo(new Address("b", 1)) < 0);
        assertTrue(new Address("a", 1).compareTo(new Address("a", 2)) < 0);
        assertEquals(0, new Address("a", 1).compareTo(new Address("a", 1)));
    }
}
