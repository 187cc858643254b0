package io.murmur.agent.handlers;

import io.murmur.agent.rpc.EventFilter;
import io.murmur.agent.rpc.EventFilter.Entry;
import io.murmur.serf.SerfEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code -event-handler [filter=]script}: the events it wants and the shell command it runs. The filter is Serf's:
 * comma-separated {@code member-join}, {@code member-leave}, {@code member-failed}, {@code member-update},
 * {@code member-reap}, {@code user}, {@code user:NAME}, {@code query}, {@code query:NAME} or {@code *}. As in Serf, the
 * spec is split at its first {@code =}; without one the script handles every event.
 */
public record HandlerSpec(EventFilter filter, String script) {

    public HandlerSpec {
        Objects.requireNonNull(filter, "filter");
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
        try {
            return new HandlerSpec(EventFilter.of(filterText), script);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event handler '" + spec + "': " + e.getMessage(), e);
        }
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
            for (Entry e : spec.filter().entries()) {
                String key = e.type() + ":" + e.name();
                int n = seen.merge(key, 1, Integer::sum);
                section.put(n == 1 ? key : key + " (" + n + ")", spec.script());
            }
        }
        return section;
    }

    /** Whether this handler runs for {@code event}. */
    public boolean matches(SerfEvent event) {
        return filter.matches(event);
    }
}
