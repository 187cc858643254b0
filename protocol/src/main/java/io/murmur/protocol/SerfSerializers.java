package io.murmur.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.murmur.protocol.SerfMessage.EventBucket;
import io.murmur.protocol.SerfMessage.JoinIntent;
import io.murmur.protocol.SerfMessage.LeaveIntent;
import io.murmur.protocol.SerfMessage.PushPull;
import io.murmur.protocol.SerfMessage.Query;
import io.murmur.protocol.SerfMessage.QueryResponse;
import io.murmur.protocol.SerfMessage.Relay;
import io.murmur.protocol.SerfMessage.TagFilter;
import io.murmur.protocol.SerfMessage.UserEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-written Kryo serializers for the serf messages; ids 40 and up, never reused. */
final class SerfSerializers {
    private SerfSerializers() {}

    /** Longest event or query name, tag name or expression accepted, in UTF-8 bytes. */
    static final int MAX_TEXT_BYTES = 1024;
    /** Most node names or tag filters in one query. */
    static final int MAX_FILTERS = 4096;
    /** Most user events in one push/pull (Serf ships a 512-slot ring). */
    static final int MAX_PUSH_EVENTS = 65_536;

    static void register(Kryo kryo, Limits limits) {
        kryo.register(JoinIntent.class, new JoinIntentSerializer(), 40);
        kryo.register(LeaveIntent.class, new LeaveIntentSerializer(), 41);
        kryo.register(UserEvent.class, new UserEventSerializer(limits), 42);
        kryo.register(Query.class, new QuerySerializer(limits), 43);
        kryo.register(QueryResponse.class, new QueryResponseSerializer(limits), 44);
        kryo.register(Relay.class, new RelaySerializer(limits), 45);
        kryo.register(PushPull.class, new PushPullSerializer(limits), 46);
    }

    static void writeLTime(Output out, long ltime) {
        out.writeVarLong(ltime, true);
    }

    static long readLTime(Input in, String field) {
        long v = in.readVarLong(true);
        if (v < 0) {
            throw new DecodeFailure(Rejection.MALFORMED, field + " out of range");
        }
        return v;
    }

    static final class JoinIntentSerializer extends Serializers.Immutable<JoinIntent> {
        @Override
        public void write(Kryo kryo, Output out, JoinIntent m) {
            writeLTime(out, m.ltime());
            Fields.writeString(out, m.node());
        }

        @Override
        public JoinIntent read(Kryo kryo, Input in, Class<? extends JoinIntent> type) {
            return new JoinIntent(readLTime(in, "join.ltime"), Fields.readName(in, "join.node"));
        }
    }

    static final class LeaveIntentSerializer extends Serializers.Immutable<LeaveIntent> {
        @Override
        public void write(Kryo kryo, Output out, LeaveIntent m) {
            writeLTime(out, m.ltime());
            Fields.writeString(out, m.node());
            Fields.writeBoolean(out, m.prune());
        }

        @Override
        public LeaveIntent read(Kryo kryo, Input in, Class<? extends LeaveIntent> type) {
            return new LeaveIntent(
                    readLTime(in, "leave.ltime"), Fields.readName(in, "leave.node"), Fields.readBoolean(in, "prune"));
        }
    }

    static final class UserEventSerializer extends Serializers.Immutable<UserEvent> {
        private final Limits limits;

        UserEventSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, UserEvent m) {
            writeUserEvent(out, m);
        }

        @Override
        public UserEvent read(Kryo kryo, Input in, Class<? extends UserEvent> type) {
            return readUserEvent(in, limits);
        }
    }

    static void writeUserEvent(Output out, UserEvent m) {
        writeLTime(out, m.ltime());
        Fields.writeString(out, m.name());
        Fields.writeBytes(out, m.payload());
        Fields.writeBoolean(out, m.coalesce());
    }

    static UserEvent readUserEvent(Input in, Limits limits) {
        return new UserEvent(
                readLTime(in, "event.ltime"),
                Fields.readString(in, MAX_TEXT_BYTES, "event.name"),
                Fields.readBytes(in, limits.maxPacketBytes(), "event.payload"),
                Fields.readBoolean(in, "event.coalesce"));
    }

    static final class QuerySerializer extends Serializers.Immutable<Query> {
        private final Limits limits;

        QuerySerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, Query m) {
            writeLTime(out, m.ltime());
            out.writeInt(m.id());
            Fields.writeAddress(out, m.source());
            Fields.writeString(out, m.sourceNode());
            out.writeVarInt(m.filterNodes().size(), true);
            for (String node : m.filterNodes()) {
                Fields.writeString(out, node);
            }
            out.writeVarInt(m.filterTags().size(), true);
            for (TagFilter f : m.filterTags()) {
                Fields.writeString(out, f.tag());
                Fields.writeString(out, f.expr());
            }
            out.writeVarInt(m.flags(), true);
            out.writeByte(m.relayFactor());
            out.writeVarLong(m.timeoutNanos(), true);
            Fields.writeString(out, m.name());
            Fields.writeBytes(out, m.payload());
        }

        @Override
        public Query read(Kryo kryo, Input in, Class<? extends Query> type) {
            long ltime = readLTime(in, "query.ltime");
            int id = in.readInt();
            Address source = Fields.readAddress(in, "query.source");
            String sourceNode = Fields.readName(in, "query.sourceNode");
            int nodes = Fields.readLength(in, MAX_FILTERS, "query.filterNodes");
            List<String> filterNodes = new ArrayList<>(nodes);
            for (int i = 0; i < nodes; i++) {
                filterNodes.add(Fields.readName(in, "query.filterNode"));
            }
            int tags = Fields.readLength(in, MAX_FILTERS, "query.filterTags");
            List<TagFilter> filterTags = new ArrayList<>(tags);
            for (int i = 0; i < tags; i++) {
                filterTags.add(new TagFilter(
                        Fields.readString(in, MAX_TEXT_BYTES, "query.tag"),
                        Fields.readString(in, MAX_TEXT_BYTES, "query.expr")));
            }
            int flags = in.readVarInt(true);
            int relayFactor = in.readByteUnsigned();
            long timeout = in.readVarLong(true);
            if (timeout <= 0) {
                throw new DecodeFailure(Rejection.MALFORMED, "query.timeout not positive");
            }
            return new Query(
                    ltime,
                    id,
                    source,
                    sourceNode,
                    filterNodes,
                    filterTags,
                    flags,
                    relayFactor,
                    timeout,
                    Fields.readString(in, MAX_TEXT_BYTES, "query.name"),
                    Fields.readBytes(in, limits.maxPacketBytes(), "query.payload"));
        }
    }

    static final class QueryResponseSerializer extends Serializers.Immutable<QueryResponse> {
        private final Limits limits;

        QueryResponseSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, QueryResponse m) {
            writeLTime(out, m.ltime());
            out.writeInt(m.id());
            Fields.writeString(out, m.from());
            out.writeVarInt(m.flags(), true);
            Fields.writeBytes(out, m.payload());
        }

        @Override
        public QueryResponse read(Kryo kryo, Input in, Class<? extends QueryResponse> type) {
            return new QueryResponse(
                    readLTime(in, "response.ltime"),
                    in.readInt(),
                    Fields.readName(in, "response.from"),
                    in.readVarInt(true),
                    Fields.readBytes(in, limits.maxPacketBytes(), "response.payload"));
        }
    }

    static final class RelaySerializer extends Serializers.Immutable<Relay> {
        private final Limits limits;

        RelaySerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, Relay m) {
            Fields.writeAddress(out, m.destination());
            Fields.writeString(out, m.destinationNode());
            Fields.writeBytes(out, m.inner());
        }

        @Override
        public Relay read(Kryo kryo, Input in, Class<? extends Relay> type) {
            return new Relay(
                    Fields.readAddress(in, "relay.destination"),
                    Fields.readName(in, "relay.destinationNode"),
                    Fields.readBytes(in, limits.maxPacketBytes(), "relay.inner"));
        }
    }

    static final class PushPullSerializer extends Serializers.Immutable<PushPull> {
        private final Limits limits;

        PushPullSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, PushPull m) {
            writeLTime(out, m.ltime());
            out.writeVarInt(m.statusLTimes().size(), true);
            // Sorted, so that equal states encode to equal bytes.
            new java.util.TreeMap<>(m.statusLTimes()).forEach((node, ltime) -> {
                Fields.writeString(out, node);
                writeLTime(out, ltime);
            });
            out.writeVarInt(m.leftMembers().size(), true);
            for (String node : m.leftMembers()) {
                Fields.writeString(out, node);
            }
            writeLTime(out, m.eventLTime());
            out.writeVarInt(m.events().size(), true);
            for (EventBucket bucket : m.events()) {
                writeLTime(out, bucket.ltime());
                out.writeVarInt(bucket.events().size(), true);
                for (UserEvent e : bucket.events()) {
                    writeUserEvent(out, e);
                }
            }
            writeLTime(out, m.queryLTime());
        }

        @Override
        public PushPull read(Kryo kryo, Input in, Class<? extends PushPull> type) {
            long ltime = readLTime(in, "pushpull.ltime");
            int statuses = Fields.readLength(in, limits.maxPushPullNodes(), "pushpull.statusLTimes");
            Map<String, Long> statusLTimes = new HashMap<>(Math.min(statuses, 1024) * 2);
            for (int i = 0; i < statuses; i++) {
                String node = Fields.readName(in, "pushpull.node");
                if (statusLTimes.put(node, readLTime(in, "pushpull.statusLTime")) != null) {
                    throw new DecodeFailure(Rejection.MALFORMED, "pushpull names " + node + " twice");
                }
            }
            int left = Fields.readLength(in, limits.maxPushPullNodes(), "pushpull.leftMembers");
            List<String> leftMembers = new ArrayList<>(Math.min(left, 1024));
            for (int i = 0; i < left; i++) {
                leftMembers.add(Fields.readName(in, "pushpull.left"));
            }
            long eventLTime = readLTime(in, "pushpull.eventLTime");
            int buckets = Fields.readLength(in, MAX_PUSH_EVENTS, "pushpull.events");
            List<EventBucket> events = new ArrayList<>(Math.min(buckets, 1024));
            int total = 0;
            for (int i = 0; i < buckets; i++) {
                long bucketTime = readLTime(in, "pushpull.bucket.ltime");
                int n = Fields.readLength(in, MAX_PUSH_EVENTS, "pushpull.bucket");
                total += n;
                if (total > MAX_PUSH_EVENTS) {
                    throw new DecodeFailure(Rejection.OVERSIZED, "pushpull carries more than " + MAX_PUSH_EVENTS);
                }
                List<UserEvent> bucket = new ArrayList<>(Math.min(n, 64));
                for (int j = 0; j < n; j++) {
                    bucket.add(readUserEvent(in, limits));
                }
                events.add(new EventBucket(bucketTime, bucket));
            }
            return new PushPull(ltime, statusLTimes, leftMembers, eventLTime, events, readLTime(in, "queryLTime"));
        }
    }
}
