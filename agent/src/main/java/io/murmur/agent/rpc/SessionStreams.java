package io.murmur.agent.rpc;

import ch.qos.logback.classic.Level;
import io.murmur.serf.QueryParams;
import io.murmur.serf.QueryReply;
import io.murmur.serf.SerfEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one session streams to its client besides replies: event streams ({@code stream}/{@code stop}), its log monitor,
 * the records of its queries, and the queries streamed to it that it may still answer ({@code respond}).
 */
final class SessionStreams {

    static final String MONITOR_EXISTS = "Monitor already exists";
    static final String INVALID_FILTER = "Invalid event filter";
    static final String STREAM_EXISTS = "Stream with given sequence exists";
    static final String INVALID_QUERY_ID = "No pending queries matching ID";

    /** Queries streamed to this client that it has not answered; the oldest are forgotten past this many. */
    private static final int MAX_PENDING_QUERIES = 4096;

    private final AgentSerf serf;
    private final LogMonitor logs;
    private final Outbound out;
    private final AgentDrops drops;
    private final Map<Long, AutoCloseable> streams = new ConcurrentHashMap<>();
    private final AtomicLong queryIds = new AtomicLong();
    private final Map<Long, SerfEvent.Query> pending = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, SerfEvent.Query> eldest) {
            return size() > MAX_PENDING_QUERIES;
        }
    };
    private Long monitorSeq;

    SessionStreams(AgentSerf serf, LogMonitor logs, Outbound out, AgentDrops drops) {
        this.serf = serf;
        this.logs = logs;
        this.out = out;
        this.drops = drops;
    }

    /** {@code stream}: replies, then sends every event the filter lets through under {@code seq}. */
    void stream(long seq, String type) {
        if (streams.containsKey(seq)) {
            out.reply(RpcCodec.frame(seq, STREAM_EXISTS, null));
            return;
        }
        Optional<EventFilter> filter = EventFilter.parse(type);
        if (filter.isEmpty()) {
            out.reply(RpcCodec.frame(seq, INVALID_FILTER, null));
            return;
        }
        HeldRecords records = new HeldRecords(AgentDrops.Where.RPC_STREAM);
        streams.put(seq, serf.subscribe(event -> {
            if (filter.get().matches(event)) {
                long id = event instanceof SerfEvent.Query q ? remember(q) : 0;
                records.record(RpcCodec.frame(seq, "", RpcCodec.event(event, id, RpcCodec.Local.of(serf))), false);
            }
        }));
        out.reply(RpcCodec.frame(seq, "", null));
        records.open();
    }

    /** {@code monitor}: replies, then sends the agent's log lines at {@code level} or above under {@code seq}. */
    void monitor(long seq, String levelName) {
        if (monitorSeq != null) {
            out.reply(RpcCodec.frame(seq, MONITOR_EXISTS, null));
            return;
        }
        Optional<Level> level = LogMonitor.parseLevel(levelName);
        if (level.isEmpty()) {
            out.reply(RpcCodec.frame(seq, "Unknown log level: " + levelName.toUpperCase(java.util.Locale.ROOT), null));
            return;
        }
        monitorSeq = seq;
        HeldRecords records = new HeldRecords(AgentDrops.Where.RPC_MONITOR);
        if (logs != null) {
            logs.add(
                    this,
                    level.get(),
                    line -> records.record(RpcCodec.frame(seq, "", RpcCodec.logRecord(line)), false));
        }
        out.reply(RpcCodec.frame(seq, "", null));
        records.open();
    }

    /** {@code stop}: ends the stream or monitor started under {@code stop}; always succeeds. */
    void stop(long seq, long stop) {
        AutoCloseable stream = streams.remove(stop);
        if (stream != null) {
            closeQuietly(stream);
        }
        if (monitorSeq != null && monitorSeq == stop) {
            stopMonitor();
        }
        out.reply(RpcCodec.frame(seq, "", null));
    }

    /**
     * {@code query}: the reply (with Serf's error when it cannot be sent), then {@code ack}/{@code response} records
     * and one {@code done}. Records that arrive before the reply is queued wait for it.
     */
    void query(long seq, String name, byte[] payload, QueryParams params) {
        QueryRecords records = new QueryRecords(seq);
        Optional<String> error = serf.query(name, payload, params, records::accept);
        out.reply(RpcCodec.frame(seq, error.orElse(""), null));
        records.open();
    }

    /** {@code respond}: answers a query this session was streamed. */
    void respond(long seq, long id, byte[] payload) {
        SerfEvent.Query query;
        synchronized (pending) {
            query = pending.remove(id);
        }
        String error =
                query == null ? INVALID_QUERY_ID : serf.respond(query, payload).orElse("");
        out.reply(RpcCodec.frame(seq, error, null));
    }

    /** Ends every stream and the monitor. */
    void close() {
        streams.values().forEach(SessionStreams::closeQuietly);
        streams.clear();
        stopMonitor();
    }

    private long remember(SerfEvent.Query q) {
        long id = queryIds.incrementAndGet();
        synchronized (pending) {
            pending.put(id, q);
        }
        return id;
    }

    private void stopMonitor() {
        if (monitorSeq != null && logs != null) {
            logs.remove(this);
        }
        monitorSeq = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // a subscription that is already gone
        }
    }

    /** How long an early {@code done} waits after the last response (see {@link QueryRecords#accept}). */
    static final long DONE_GRACE_MILLIS = 200;

    /** One query's records, held until its reply is queued. */
    private final class QueryRecords {
        private final long seq;
        private final HeldRecords held = new HeldRecords(AgentDrops.Where.RPC_QUERY);

        QueryRecords(long seq) {
            this.seq = seq;
        }

        void accept(QueryReply reply) {
            if (reply instanceof QueryReply.Ack a) {
                held.record(RpcCodec.frame(seq, "", RpcCodec.queryRecord("ack", a.from(), new byte[0])), false);
            } else if (reply instanceof QueryReply.Response r) {
                held.record(
                        RpcCodec.frame(
                                seq,
                                "",
                                RpcCodec.queryRecord(
                                        "response", r.from(), r.payload().toArray())),
                        false);
            } else if (reply instanceof QueryReply.Done d && !d.timedOut()) {
                // Murmur's early done, right after the last response. Serf sends done only at the deadline, and its
                // CLI stops reading as soon as done closes its channels, dropping responses still buffered: the
                // stock `serf query` lost the last answer or two. A short grace lets it print them first.
                CompletableFuture.delayedExecutor(DONE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                        .execute(() -> held.record(done(), true));
            } else {
                // Done at the deadline, or a late rejection.
                held.record(done(), true);
            }
        }

        void open() {
            held.open();
        }

        private byte[] done() {
            return RpcCodec.frame(seq, "", RpcCodec.queryRecord("done", "", new byte[0]));
        }
    }

    /**
     * Records of a stream whose reply is not queued yet wait for it, so the client hears the reply first. Records the
     * writer has no room for are dropped and counted as dropped {@code where}.
     */
    private final class HeldRecords {
        private final AgentDrops.Where where;
        private List<byte[]> held = new ArrayList<>();

        HeldRecords(AgentDrops.Where where) {
            this.where = where;
        }

        /** {@code urgent}: one the client must not miss (a query's {@code done}). */
        synchronized void record(byte[] frame, boolean urgent) {
            if (held != null) {
                held.add(frame);
            } else if (!(urgent ? out.urgent(frame) : out.record(frame)) && !out.ended()) {
                drops.dropped(where);
            }
        }

        synchronized void open() {
            held.forEach(out::urgent);
            held = null;
        }
    }
}
