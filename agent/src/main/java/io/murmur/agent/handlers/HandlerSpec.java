package io.murmur.agent.handlers;

import io.murmur.serf.SerfEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code -event-handler [filter=]script}: the events it wants and the shell command it runs. The filter is Serf's:
 * comma-separated {@code member-join}, {@code member-leave}, {@code member-failed}, {@code member-update},
 * {@code member-reap}, {@code user}, {@code user:NAME}, {@code query}, {@code query:NAME} or {@code *}. As in Serf, the
 * spec is split at its first {@code =}; without one the script handles every event.
 */
public record HandlerSpec(List<Entry> filter, String script) {

    /** One filter entry: an event type ({@code *} for any) and, for user events and queries, an optional name. */
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

    public HandlerSpec {
        filter = List.copyOf(filter);
        Objects.requireNonNull(script, "script");
    }

    /**
     * Parses {@code [filter=]script}.
     *
     * @throws IllegalArgumentException naming the bad part when the filter names no event type Serf knows or the
     *     script is empty
     */
    public static HandlerSpec parse(String spec) {
        int eq = spec.indexOf('=');
        String filterText = eq < 0 ? "*" : spec.substring(0, eq);
        String script = eq < 0 ? spec : spec.substring(eq + 1);
        if (script.isBlank()) {
            throw new IllegalArgumentException("event handler '" + spec + "' has no script");
        }
        return new HandlerSpec(parseFilter(filterText, spec), script);
    }

    private static List<Entry> parseFilter(String text, String spec) {
        List<Entry> entries = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String type = part.trim();
            String name = "";
            int colon = type.indexOf(':');
            if (colon >= 0) {
                name = type.substring(colon + 1);
                type = type.substring(0, colon);
                if (!type.equals("user") && !type.equals("query")) {
                    throw new IllegalArgumentException(
                            "event handler '" + spec + "': only user and query events take a name, not " + part);
                }
            }
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("event handler '" + spec + "': unknown event type '" + part
                        + "' (member-join, member-leave, member-failed, member-update, member-reap, user[:NAME], "
                        + "query[:NAME] or *)");
            }
            entries.add(new Entry(type, name));
        }
        return entries;
    }

    /**
     * Serf's {@code event_handlers} stats section for {@code specs}: one entry per filter entry, keyed
     * {@code type:name} ({@code member-join:}, {@code user:deploy}, {@code *:}) with the script as the value, as Serf's
     * agent fills it. Serf keeps only the last script of a repeated key; Murmur runs them all, so the second and later
     * are listed too, as {@code member-join: (2)}, {@code member-join: (3)}, ... in the order they run.
     */
    public static Map<String, String> scriptsByFilter(List<HandlerSpec> specs) {
        Map<String, String> section = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (HandlerSpec spec : specs) {
            for (Entry e : spec.filter()) {
                String key = e.type() + ":" + e.name();
                int n = seen.merge(key, 1, Integer::sum);
                section.put(n == 1 ? key : key + " (" + n + ")", spec.script());
            }
        }
        return section;
    }

    /** Whether this handler runs for {@code event}. */
    public boolean matches(SerfEvent event) {
        return filter.stream().anyMatch(e -> e.matches(event));
    }
}
