package io.murmur.agent.handlers;

import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfMember;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What a handler script is given, as Serf's agent gives it: its environment variables and its standard input. */
public final class ScriptInput {

    private ScriptInput() {}

    /**
     * The variables Serf sets for a handler ({@code SERF_EVENT}, {@code SERF_SELF_NAME}, {@code SERF_SELF_ROLE}, one
     * {@code SERF_TAG_<NAME>} per tag of this node, and the user event's or query's name and Lamport time), to add to
     * the agent's own environment.
     */
    public static Map<String, String> environment(SerfEvent event, String selfName, Map<String, String> selfTags) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERF_EVENT", event.type().serfName());
        env.put("SERF_SELF_NAME", selfName);
        env.put("SERF_SELF_ROLE", selfTags.getOrDefault("role", ""));
        selfTags.forEach((k, v) -> env.put("SERF_TAG_" + tagVariable(k), v));
        if (event instanceof SerfEvent.User u) {
            env.put("SERF_USER_EVENT", u.name());
            env.put("SERF_USER_LTIME", Long.toString(u.ltime()));
        } else if (event instanceof SerfEvent.Query q) {
            env.put("SERF_QUERY_NAME", q.name());
            env.put("SERF_QUERY_LTIME", Long.toString(q.ltime()));
        }
        return env;
    }

    /** A tag name as a variable name: upper-cased, every character outside {@code [A-Z0-9_]} replaced by {@code _}. */
    static String tagVariable(String tag) {
        return tag.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    /**
     * The script's standard input: for member events one line per member, {@code name TAB address TAB role TAB tags}
     * with tags as {@code k=v} joined by commas (tabs and newlines in values written as {@code \t} and {@code \n}); for
     * user events and queries the payload, with a newline added when it does not end in one.
     */
    public static byte[] stdin(SerfEvent event) {
        if (event instanceof SerfEvent.Members m) {
            StringBuilder out = new StringBuilder();
            for (SerfMember member : m.members()) {
                String tags = member.tags().entrySet().stream()
                        .map(e -> clean(e.getKey()) + "=" + clean(e.getValue()))
                        .collect(Collectors.joining(","));
                out.append(clean(member.name()))
                        .append('\t')
                        .append(member.address().host())
                        .append('\t')
                        .append(clean(member.tags().getOrDefault("role", "")))
                        .append('\t')
                        .append(tags)
                        .append('\n');
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
        byte[] payload = event instanceof SerfEvent.User u
                ? u.payload().toArray()
                : ((SerfEvent.Query) event).payload().toArray();
        if (payload.length > 0 && payload[payload.length - 1] == '\n') {
            return payload;
        }
        byte[] withNewline = java.util.Arrays.copyOf(payload, payload.length + 1);
        withNewline[payload.length] = '\n';
        return withNewline;
    }

    private static String clean(String value) {
        return value.replace("\t", "\\t").replace("\n", "\\n");
    }
}
