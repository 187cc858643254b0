package io.murmur.agent.rpc;

import io.murmur.serf.SerfEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Serf's event filter, as the {@code stream} command and event handlers take it: comma-separated {@code member-join},
 * {@code member-leave}, {@code member-failed}, {@code member-update}, {@code member-reap}, {@code user},
 * {@code user:NAME}, {@code query}, {@code query:NAME} or {@code *}; empty means everything.
 */
record EventFilter(List<Entry> entries) {

    /** One entry: an event type ({@code *} for any) and, for user events and queries, an optional name. */
    record Entry(String type, String name) {
        boolean matches(SerfEvent e) {
            if (type.equals("*")) {
                return true;
            }
            if (!type.equals(e.type().serfName())) {
                return false;
            }
            if (name.isEmpty()) {
                return true;
            }
            return e instanceof SerfEvent.User u
                    ? u.name().equals(name)
                    : e instanceof SerfEvent.Query q && q.name().equals(name);
        }
    }

    private static final Set<String> TYPES = Set.of(
            "member-join", "member-leave", "member-failed", "member-update", "member-reap", "user", "query", "*");

    /** The filter, or empty when an entry names no event type Serf knows ("Invalid event filter"). */
    static Optional<EventFilter> parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        String trimmed = spec.trim();
        if (trimmed.isEmpty()) {
            return Optional.of(new EventFilter(List.of(new Entry("*", ""))));
        }
        for (String part : trimmed.split(",")) {
            String type = part.trim();
            String name = "";
            int colon = type.indexOf(':');
            if (colon >= 0) {
                name = type.substring(colon + 1);
                type = type.substring(0, colon);
                if (!type.equals("user") && !type.equals("query")) {
                    return Optional.empty();
                }
            }
            if (!TYPES.contains(type)) {
                return Optional.empty();
            }
            entries.add(new Entry(type, name));
        }
        return Optional.of(new EventFilter(List.copyOf(entries)));
    }

    boolean matches(SerfEvent e) {
        return entries.stream().anyMatch(entry -> entry.matches(e));
    }
}
