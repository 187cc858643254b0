package io.murmur.agent.rpc;

import io.murmur.serf.SerfEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Serf's event filter, as the {@code stream} command and event handlers take it: comma-separated {@code member-join},
 * {@code member-leave}, {@code member-failed}, {@code member-update}, {@code member-reap}, {@code user},
 * {@code user:NAME}, {@code query}, {@code query:NAME} or {@code *}.
 */
public record EventFilter(List<Entry> entries) {

    /** One entry: an event type ({@code *} for any) and, for user events and queries, an optional name. */
    public record Entry(String type, String name) {
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

    public EventFilter {
        entries = List.copyOf(entries);
    }

    /**
     * Parses {@code text}; every comma-separated entry must name an event type Serf knows (an empty one does not).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static EventFilter of(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String type = part.trim();
            String name = "";
            int colon = type.indexOf(':');
            if (colon >= 0) {
                name = type.substring(colon + 1);
                type = type.substring(0, colon);
                if (!type.equals("user") && !type.equals("query")) {
                    throw new IllegalArgumentException("only user and query events take a name, not " + part);
                }
            }
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("unknown event type '" + part
                        + "' (member-join, member-leave, member-failed, member-update, member-reap, user[:NAME], "
                        + "query[:NAME] or *)");
            }
            entries.add(new Entry(type, name));
        }
        return new EventFilter(entries);
    }

    /** The {@code stream} command's filter: empty means everything; empty too when invalid ("Invalid event filter"). */
    static Optional<EventFilter> parse(String spec) {
        if (spec.isBlank()) {
            return Optional.of(of("*"));
        }
        try {
            return Optional.of(of(spec));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean matches(SerfEvent e) {
        return entries.stream().anyMatch(entry -> entry.matches(e));
    }
}
