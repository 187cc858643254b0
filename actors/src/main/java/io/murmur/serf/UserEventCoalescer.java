package io.murmur.serf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coalesces user events sent with {@code coalesce = true} (Serf §2.7): per event name only the events with the highest
 * LTime are kept (all of them, if several share it); older ones are superseded and dropped. Events sent with
 * {@code coalesce = false} are not handled here and pass by.
 *
 * <p>A flush emits names in the order they were first seen since the last flush, and each name's events in arrival
 * order.
 */
public final class UserEventCoalescer implements Coalescer {

    private static final class Newest {
        long ltime;
        final List<SerfEvent.User> events = new ArrayList<>(1);
    }

    private final Map<String, Newest> byName = new LinkedHashMap<>();

    @Override
    public boolean handles(SerfEvent event) {
        return event instanceof SerfEvent.User user && user.coalesce();
    }

    @Override
    public void add(SerfEvent event) {
        if (!handles(event)) {
            throw new IllegalArgumentException("not a coalescable user event: " + event);
        }
        SerfEvent.User user = (SerfEvent.User) event;
        Newest newest = byName.get(user.name());
        if (newest == null) {
            newest = new Newest();
            newest.ltime = user.ltime();
            byName.put(user.name(), newest);
        } else if (user.ltime() > newest.ltime) {
            newest.ltime = user.ltime();
            newest.events.clear();
        } else if (user.ltime() < newest.ltime) {
            return; // superseded by a newer event of the same name
        }
        newest.events.add(user);
    }

    @Override
    public List<SerfEvent> flush() {
        List<SerfEvent> out = new ArrayList<>();
        byName.values().forEach(n -> out.addAll(n.events));
        byName.clear();
        return out;
    }

    @Override
    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
