package io.murmur.agent.http;

import io.murmur.serf.SerfMember;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The little JSON the agent writes (HTTP bodies, {@code -format json}): strings, numbers, maps, lists. */
public final class Json {

    private Json() {}

    /**
     * {@code value} as JSON: a {@link Map} is an object (keys in its order), a {@link List} an array, a
     * {@link Number} or {@link Boolean} itself, null {@code null}, anything else a string. With {@code indent} the
     * output is pretty-printed with that many spaces per level.
     */
    public static String write(Object value, int indent) {
        StringBuilder out = new StringBuilder();
        write(out, value, indent, 0);
        return out.toString();
    }

    /** A member as the HTTP API shows it ({@code murmur members -format json} writes Serf's shape instead). */
    public static Map<String, Object> member(
            String name, String addr, int port, Map<String, String> tags, String status) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("addr", addr);
        m.put("port", port);
        m.put("tags", tags);
        m.put("status", status);
        return m;
    }

    public static Map<String, Object> member(SerfMember m) {
        return member(
                m.name(),
                m.address().host(),
                m.address().port(),
                m.tags(),
                m.status().serfName());
    }

    private static void write(StringBuilder out, Object value, int indent, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            container(out, '{', '}', map.entrySet().iterator(), indent, depth, (e, d) -> {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
                string(out, String.valueOf(entry.getKey()));
                out.append(indent > 0 ? ": " : ":");
                write(out, entry.getValue(), indent, d);
            });
        } else if (value instanceof List<?> list) {
            container(out, '[', ']', list.iterator(), indent, depth, (e, d) -> write(out, e, indent, d));
        } else {
            string(out, value.toString());
        }
    }

    private interface Item {
        void write(Object item, int depth);
    }

    private static void container(
            StringBuilder out, char open, char close, Iterator<?> items, int indent, int depth, Item item) {
        out.append(open);
        if (!items.hasNext()) {
            out.append(close);
            return;
        }
        boolean first = true;
        while (items.hasNext()) {
            out.append(first ? "" : ",");
            first = false;
            newline(out, indent, depth + 1);
            item.write(items.next(), depth + 1);
        }
        newline(out, indent, depth);
        out.append(close);
    }

    private static void newline(StringBuilder out, int indent, int depth) {
        if (indent > 0) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // As Go's encoding/json (which writes Serf's -format json): HTML-safe, and the JS line separators.
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
