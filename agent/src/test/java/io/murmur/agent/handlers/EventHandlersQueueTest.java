package io.murmur.agent.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.agent.rpc.AgentDrops;
import io.murmur.agent.rpc.AgentSerf;
import io.murmur.protocol.Bytes;
import io.murmur.serf.SerfEvent;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The queue in front of the scripts, driven without a thread: it never blocks the caller and drops past its bound. */
class EventHandlersQueueTest {

    private final AgentDrops drops = new AgentDrops();

    private static AgentSerf named(String name) {
        return (AgentSerf) Proxy.newProxyInstance(
                AgentSerf.class.getClassLoader(), new Class<?>[] {AgentSerf.class}, (p, m, a) -> {
                    if (m.getName().equals("name")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void eventsBeyondTheBoundAreDroppedAndCounted() {
        try (ScriptRunner runner = new ScriptRunner(Duration.ZERO)) {
            EventHandlers handlers = new EventHandlers(
                    named("n1"), Map.of(), List.of(HandlerSpec.parse("user=true")), runner, 2, 1024, drops);
            SerfEvent e = new SerfEvent.User(1, "deploy", Bytes.EMPTY, false);
            assertTrue(handlers.offer(e));
            assertTrue(handlers.offer(e));
            assertFalse(handlers.offer(e));
            assertEquals(1, handlers.dropped());
            assertEquals(1, drops.count(AgentDrops.Where.EVENT_HANDLERS)); // what /metrics shows
        }
    }

    @Test
    void eventsNoScriptWantsDoNotTakeRoom() {
        try (ScriptRunner runner = new ScriptRunner(Duration.ZERO)) {
            EventHandlers handlers = new EventHandlers(
                    named("n1"), Map.of(), List.of(HandlerSpec.parse("user:deploy=true")), runner, 1, 1024, drops);
            for (int i = 0; i < 5; i++) {
                assertTrue(handlers.offer(new SerfEvent.User(i, "other", Bytes.EMPTY, false)));
            }
            assertEquals(0, handlers.dropped());
            assertEquals(0, drops.count(AgentDrops.Where.EVENT_HANDLERS));
        }
    }
}
