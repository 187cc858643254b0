package io.murmur.store.snapshot;

import io.murmur.protocol.Address;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the serf snapshot. {@link #body()} is the line in Serf's text format, without the newline and
 * without the checksum Murmur appends (see {@link SnapshotLine}):
 *
 * <pre>
 * alive: &lt;name&gt; &lt;host:port&gt;    a member joined or came back
 * not-alive: &lt;name&gt;           a member left or failed
 * clock: &lt;n&gt;                  the member Lamport clock
 * event-clock: &lt;n&gt;            the user-event Lamport clock
 * query-clock: &lt;n&gt;            the query Lamport clock
 * leave                       this node left the cluster on purpose
 * # &lt;text&gt;                    a comment
 * </pre>
 *
 * A name may hold spaces (the address, which holds none, is after the last one) but no line break. Clocks are
 * decimal without sign or leading zeros. {@link #parse} accepts exactly what {@link #body()} produces, and any
 * comment.
 */
public sealed interface SnapshotRecord {

    /** The record as Serf's text line, without newline or checksum. */
    String body();

    /**
     * The record {@code body} denotes, or empty when it is not exactly one (legacy lines included). Any line that
     * starts with {@code #} is a comment, so Serf's {@code #text} reads as {@code Comment("text")}.
     */
    static Optional<SnapshotRecord> parse(String body) {
        try {
            SnapshotRecord record = parseLoosely(body);
            boolean exact = record instanceof Comment
                    || (record != null && record.body().equals(body));
            return exact ? Optional.of(record) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A member that is alive at {@code address}, {@code host:port} or {@code [v6]:port}. */
    record Alive(String name, String address) implements SnapshotRecord {
        public Alive {
            checkName(name);
            Objects.requireNonNull(address, "address");
            if (address.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new IllegalArgumentException("address holds whitespace: '" + address + "'");
            }
            Address.parse(address); // throws on anything that is not host:port
        }

        @Override
        public String body() {
            return "alive: " + name + " " + address;
        }
    }

    /** A member that left or failed. */
    record NotAlive(String name) implements SnapshotRecord {
        public NotAlive {
            checkName(name);
        }

        @Override
        public String body() {
            return "not-alive: " + name;
        }
    }

    /** The member Lamport clock. */
    record Clock(long value) implements SnapshotRecord {
        public Clock {
            checkClock(value);
        }

        @Override
        public String body() {
            return "clock: " + value;
        }
    }

    /** The user-event Lamport clock. */
    record EventClock(long value) implements SnapshotRecord {
        public EventClock {
            checkClock(value);
        }

        @Override
        public String body() {
            return "event-clock: " + value;
        }
    }

    /** The query Lamport clock. */
    record QueryClock(long value) implements SnapshotRecord {
        public QueryClock {
            checkClock(value);
        }

        @Override
        public String body() {
            return "query-clock: " + value;
        }
    }

    /** This node left the cluster on purpose. */
    enum Leave implements SnapshotRecord {
        INSTANCE;

        @Override
        public String body() {
            return "leave";
        }
    }

    /** A comment; replay ignores it. */
    record Comment(String text) implements SnapshotRecord {
        public Comment {
            checkText(text, "comment");
        }

        @Override
        public String body() {
            return text.isEmpty() ? "#" : "# " + text;
        }
    }

    private static SnapshotRecord parseLoosely(String body) {
        if (body.startsWith("alive: ")) {
            String rest = body.substring("alive: ".length());
            int space = rest.lastIndexOf(' ');
            return space < 0 ? null : new Alive(rest.substring(0, space), rest.substring(space + 1));
        }
        if (body.startsWith("not-alive: ")) {
            return new NotAlive(body.substring("not-alive: ".length()));
        }
        if (body.startsWith("clock: ")) {
            return new Clock(parseClock(body.substring("clock: ".length())));
        }
        if (body.startsWith("event-clock: ")) {
            return new EventClock(parseClock(body.substring("event-clock: ".length())));
        }
        if (body.startsWith("query-clock: ")) {
            return new QueryClock(parseClock(body.substring("query-clock: ".length())));
        }
        if (body.equals("leave")) {
            return Leave.INSTANCE;
        }
        if (body.startsWith("#")) {
            return new Comment(body.startsWith("# ") ? body.substring(2) : body.substring(1));
        }
        return null;
    }

    private static long parseClock(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a clock: '" + digits + "'");
        }
        return Long.parseLong(digits); // NumberFormatException is an IllegalArgumentException
    }

    private static void checkName(String name) {
        checkText(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
    }

    private static void checkText(String text, String what) {
        Objects.requireNonNull(text, what);
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " holds a line break");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
            throw new IllegalArgumentException(what + " is not encodable as UTF-8");
        }
    }

    private static void checkClock(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative clock " + value);
        }
    }
}
