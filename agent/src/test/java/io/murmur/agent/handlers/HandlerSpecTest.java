package io.murmur.agent.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.serf.MemberStatus;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfMember;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerSpecTest {

    static final SerfEvent JOIN = new SerfEvent.Members(
            SerfEvent.Type.MEMBER_JOIN,
            List.of(new SerfMember("n1", new Address("10.0.0.1", 7946), Map.of(), MemberStatus.ALIVE)));
    static final SerfEvent DEPLOY = new SerfEvent.User(7, "deploy", Bytes.utf8("v42"), false);
    static final SerfEvent UPTIME = new SerfEvent.Query(3, 1, "uptime", Bytes.EMPTY, "n2", 0);

    @Test
    void specWithoutFilterHandlesEverything() {
        HandlerSpec spec = HandlerSpec.parse("./handle.sh");
        assertEquals("./handle.sh", spec.script());
        assertTrue(spec.matches(JOIN) && spec.matches(DEPLOY) && spec.matches(UPTIME));
    }

    @Test
    void specSplitsAtTheFirstEquals() {
        HandlerSpec spec = HandlerSpec.parse("user:deploy=echo a=b");
        assertEquals("echo a=b", spec.script());
        assertTrue(spec.matches(DEPLOY));
        assertFalse(spec.matches(new SerfEvent.User(8, "restart", Bytes.EMPTY, false)));
        assertFalse(spec.matches(JOIN));
    }

    @Test
    void commaSeparatedFilterMatchesAnyEntry() {
        HandlerSpec spec = HandlerSpec.parse("member-join,member-leave,query:uptime=x");
        assertTrue(spec.matches(JOIN));
        assertTrue(spec.matches(UPTIME));
        assertFalse(spec.matches(new SerfEvent.Query(4, 2, "load", Bytes.EMPTY, "n2", 0)));
        assertFalse(spec.matches(DEPLOY));
        assertTrue(HandlerSpec.parse("*=x").matches(DEPLOY));
        assertTrue(HandlerSpec.parse("user=x").matches(DEPLOY));
        assertTrue(HandlerSpec.parse("query=x").matches(UPTIME));
    }

    @Test
    void unknownTypesAndNamedMemberEventsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> HandlerSpec.parse("member-joined=x"));
        assertTrue(e.getMessage().contains("member-joined"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HandlerSpec.parse("member-join:n1=x"));
        assertThrows(IllegalArgumentException.class, () -> HandlerSpec.parse("FOO=bar ./x.sh"));
        assertThrows(IllegalArgumentException.class, () -> HandlerSpec.parse("user="));
    }

    @Test
    void statsKeyEveryFilterEntryAsSerfDoesAndKeepRepeatedOnes() {
        Map<String, String> section = HandlerSpec.scriptsByFilter(List.of(
                HandlerSpec.parse("member-join,user:deploy=/bin/a"),
                HandlerSpec.parse("b.sh"),
                HandlerSpec.parse("user=c.sh"),
                HandlerSpec.parse("member-join=/bin/d"),
                HandlerSpec.parse("member-join,query:uptime=e.sh")));
        assertEquals(
                List.of(
                        "member-join:=/bin/a",
                        "user:deploy=/bin/a",
                        "*:=b.sh",
                        "user:=c.sh",
                        "member-join: (2)=/bin/d",
                        "member-join: (3)=e.sh",
                        "query:uptime=e.sh"),
                section.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList());
        assertTrue(HandlerSpec.scriptsByFilter(List.of()).isEmpty());
    }
}
