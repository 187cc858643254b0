package io.murmur.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.agent.rpc.RpcValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** How {@code murmur members} reads a {@code members} reply and lays out {@code -detailed} rows. */
class MembersCommandTest {

    /** A reply with one member whose six version fields all differ, so that a swapped field shows. */
    private static RpcValues reply() throws RpcValues.Malformed {
        Value member = struct(
                "Name", "web-1",
                "Addr", new byte[] {10, 0, 0, 5},
                "Port", 7946,
                "Tags", struct("role", "web", "dc", "eu"),
                "Status", "alive",
                "ProtocolMin", 1,
                "ProtocolMax", 6,
                "ProtocolCur", 3,
                "DelegateMin", 2,
                "DelegateMax", 7,
                "DelegateCur", 4);
        return RpcValues.of(struct("Members", ValueFactory.newArray(List.of(member))));
    }

    /** A msgpack map from {@code key, value} pairs: strings, ints, byte arrays or values. */
    private static Value struct(Object... keysAndValues) {
        Map<Value, Value> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object v = keysAndValues[i + 1];
            Value value = v instanceof String s
                    ? ValueFactory.newString(s)
                    : v instanceof Integer n
                            ? ValueFactory.newInteger(n)
                            : v instanceof byte[] b ? ValueFactory.newBinary(b) : (Value) v;
            map.put(ValueFactory.newString((String) keysAndValues[i]), value);
        }
        return ValueFactory.newMap(map);
    }

    @Test
    void readsEveryVersionFieldOfAMember() throws Exception {
        MembersCommand.Member m = MembersCommand.members(reply()).get(0);
        assertEquals("web-1", m.name());
        assertEquals("10.0.0.5", m.addr());
        assertEquals(new MembersCommand.Versions(1, 6, 3, 2, 7, 4), m.versions());
    }

    @Test
    void detailedRowsPutSerfsProtocolFirstAsTheSerfCliDoesThenMemberlists() throws Exception {
        MembersCommand.Member m = MembersCommand.members(reply()).get(0);
        assertArrayEquals(
                new String[] {
                    "web-1",
                    "10.0.0.5:7946",
                    "alive",
                    "dc=eu,role=web",
                    "Protocol Version: 4",
                    "Available Protocol Range: [2, 7]",
                    "Memberlist Version: 3",
                    "Available Memberlist Range: [1, 6]"
                },
                MembersCommand.detailedRow(m, "dc=eu,role=web"));
    }

    @Test
    void jsonHasSerfsShapeHostAndPortAddressAndSerfsProtocolVersions() throws Exception {
        assertEquals("""
                {
                  "members": [
                    {
                      "name": "web-1",
                      "addr": "10.0.0.5:7946",
                      "port": 7946,
                      "tags": {
                        "dc": "eu",
                        "role": "web"
                      },
                      "status": "alive",
                      "protocol": {
                        "max": 7,
                        "min": 2,
                        "version": 4
                      }
                    }
                  ]
                }""", MembersCommand.json(MembersCommand.members(reply())));
    }

    @Test
    void jsonOfNoMembersIsNullAsSerfWritesItAndStringsAreEscapedAsGoEscapesThem() {
        assertEquals("{\n  \"members\": null\n}", MembersCommand.json(List.of()));
        MembersCommand.Member odd = new MembersCommand.Member(
                "a<b>",
                "::1",
                7946,
                Map.of("x", "<a&b>\u2028"),
                "alive",
                new MembersCommand.Versions(1, 5, 2, 2, 5, 5));
        String json = MembersCommand.json(List.of(odd));
        assertTrue(json.contains("\"name\": \"a\\u003cb\\u003e\""), json);
        assertTrue(json.contains("\"addr\": \"[::1]:7946\""), json);
        assertTrue(json.contains("\"x\": \"\\u003ca\\u0026b\\u003e\\u2028\""), json);
    }
}
