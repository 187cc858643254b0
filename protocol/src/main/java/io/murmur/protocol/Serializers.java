package io.murmur.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.murmur.protocol.Message.Ack;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Compound;
import io.murmur.protocol.Message.Dead;
import io.murmur.protocol.Message.IndirectPing;
import io.murmur.protocol.Message.Nack;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.Message.PushNodeState;
import io.murmur.protocol.Message.PushPull;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.Message.UserMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written Kryo serializers, one per message, so that the byte layout is ours (pinned by golden vectors) and
 * every length is bounded before it is allocated. Field order is the record's component order.
 */
final class Serializers {
    private Serializers() {}

    /** Registers every message type under its fixed id. Ids are never reused; new types are appended. */
    static void register(Kryo kryo, Limits limits) {
        kryo.register(Ping.class, new PingSerializer(), 20);
        kryo.register(IndirectPing.class, new IndirectPingSerializer(), 21);
        kryo.register(Ack.class, new AckSerializer(limits), 22);
        kryo.register(Nack.class, new NackSerializer(), 23);
        kryo.register(Alive.class, new AliveSerializer(), 24);
        kryo.register(Suspect.class, new SuspectSerializer(), 25);
        kryo.register(Dead.class, new DeadSerializer(), 26);
        kryo.register(PushPull.class, new PushPullSerializer(limits), 27);
        kryo.register(Compound.class, new CompoundSerializer(limits), 28);
        kryo.register(UserMessage.class, new UserMessageSerializer(limits), 29);
    }

    /** A serializer of immutable records: no references, no copying. Shared with {@link SerfSerializers}. */
    abstract static class Immutable<T> extends Serializer<T> {
        Immutable() {
            super(false, true);
        }
    }

    static final class PingSerializer extends Immutable<Ping> {
        @Override
        public void write(Kryo kryo, Output out, Ping m) {
            out.writeInt(m.seqNo());
            Fields.writeString(out, m.target());
            Fields.writeString(out, m.sourceNode());
            Fields.writeAddress(out, m.source());
        }

        @Override
        public Ping read(Kryo kryo, Input in, Class<? extends Ping> type) {
            return new Ping(
                    in.readInt(),
                    Fields.readName(in, "ping.target"),
                    Fields.readName(in, "ping.sourceNode"),
                    Fields.readAddress(in, "ping.source"));
        }
    }

    static final class IndirectPingSerializer extends Immutable<IndirectPing> {
        @Override
        public void write(Kryo kryo, Output out, IndirectPing m) {
            out.writeInt(m.seqNo());
            Fields.writeString(out, m.target());
            Fields.writeAddress(out, m.targetAddress());
            Fields.writeBoolean(out, m.nack());
            Fields.writeString(out, m.sourceNode());
            Fields.writeAddress(out, m.source());
        }

        @Override
        public IndirectPing read(Kryo kryo, Input in, Class<? extends IndirectPing> type) {
            return new IndirectPing(
                    in.readInt(),
                    Fields.readName(in, "indirect.target"),
                    Fields.readAddress(in, "indirect.targetAddress"),
                    Fields.readBoolean(in, "indirect.nack"),
                    Fields.readName(in, "indirect.sourceNode"),
                    Fields.readAddress(in, "indirect.source"));
        }
    }

    static final class AckSerializer extends Immutable<Ack> {
        private final Limits limits;

        AckSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, Ack m) {
            out.writeInt(m.seqNo());
            Fields.writeBytes(out, m.payload());
            out.writeVarInt(m.members(), true);
        }

        @Override
        public Ack read(Kryo kryo, Input in, Class<? extends Ack> type) {
            return new Ack(
                    in.readInt(),
                    Fields.readBytes(in, limits.maxPacketBytes(), "ack.payload"),
                    Fields.readCount(in, "ack.members"));
        }
    }

    static final class NackSerializer extends Immutable<Nack> {
        @Override
        public void write(Kryo kryo, Output out, Nack m) {
            out.writeInt(m.seqNo());
        }

        @Override
        public Nack read(Kryo kryo, Input in, Class<? extends Nack> type) {
            return new Nack(in.readInt());
        }
    }

    static final class AliveSerializer extends Immutable<Alive> {
        @Override
        public void write(Kryo kryo, Output out, Alive m) {
            Fields.writeIncarnation(out, m.incarnation());
            Fields.writeNodeInfo(out, m.node());
        }

        @Override
        public Alive read(Kryo kryo, Input in, Class<? extends Alive> type) {
            return new Alive(Fields.readIncarnation(in), Fields.readNodeInfo(in));
        }
    }

    static final class SuspectSerializer extends Immutable<Suspect> {
        @Override
        public void write(Kryo kryo, Output out, Suspect m) {
            Fields.writeIncarnation(out, m.incarnation());
            Fields.writeString(out, m.node());
            Fields.writeString(out, m.from());
        }

        @Override
        public Suspect read(Kryo kryo, Input in, Class<? extends Suspect> type) {
            return new Suspect(
                    Fields.readIncarnation(in),
                    Fields.readName(in, "suspect.node"),
                    Fields.readName(in, "suspect.from"));
        }
    }

    static final class DeadSerializer extends Immutable<Dead> {
        @Override
        public void write(Kryo kryo, Output out, Dead m) {
            Fields.writeIncarnation(out, m.incarnation());
            Fields.writeString(out, m.node());
            Fields.writeString(out, m.from());
        }

        @Override
        public Dead read(Kryo kryo, Input in, Class<? extends Dead> type) {
            return new Dead(
                    Fields.readIncarnation(in), Fields.readName(in, "dead.node"), Fields.readName(in, "dead.from"));
        }
    }

    static final class PushPullSerializer extends Immutable<PushPull> {
        private final Limits limits;

        PushPullSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, PushPull m) {
            Fields.writeBoolean(out, m.join());
            out.writeVarInt(m.nodes().size(), true);
            for (PushNodeState n : m.nodes()) {
                Fields.writeNodeInfo(out, n.node());
                Fields.writeIncarnation(out, n.incarnation());
                out.writeByte(n.state().ordinal());
            }
            Fields.writeBytes(out, m.userState());
        }

        @Override
        public PushPull read(Kryo kryo, Input in, Class<? extends PushPull> type) {
            boolean join = Fields.readBoolean(in, "pushpull.join");
            int count = in.readVarInt(true);
            if (count < 0 || count > limits.maxPushPullNodes()) {
                throw new DecodeFailure(Rejection.OVERSIZED, "push/pull of " + Integer.toUnsignedString(count));
            }
            // Each row takes at least 14 bytes, so a count the input cannot hold is a truncation, not an allocation.
            if (count > Fields.remaining(in) / 14) {
                throw new DecodeFailure(Rejection.TRUNCATED, "push/pull rows run past the end");
            }
            List<PushNodeState> nodes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                NodeInfo node = Fields.readNodeInfo(in);
                long incarnation = Fields.readIncarnation(in);
                NodeState state = NodeState.ofCode(in.readByteUnsigned());
                if (state == null) {
                    throw new DecodeFailure(Rejection.MALFORMED, "unknown node state");
                }
                nodes.add(new PushNodeState(node, incarnation, state));
            }
            return new PushPull(join, nodes, Fields.readBytes(in, limits.maxStreamBytes(), "pushpull.userState"));
        }
    }

    static final class CompoundSerializer extends Immutable<Compound> {
        private final Limits limits;

        CompoundSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, Compound m) {
            // The decoder refuses more parts than this, so the encoder does too, as frame(List) does.
            if (m.parts().size() > limits.maxCompoundParts()) {
                throw new IllegalArgumentException("more than " + limits.maxCompoundParts() + " parts");
            }
            out.writeVarInt(m.parts().size(), true);
            for (Message part : m.parts()) {
                byte[] encoded = Codec.encodeBody(kryo, part, limits.maxStreamBytes());
                out.writeVarInt(encoded.length, true);
                out.writeBytes(encoded);
            }
        }

        @Override
        public Compound read(Kryo kryo, Input in, Class<? extends Compound> type) {
            int count = Fields.readLength(in, limits.maxCompoundParts(), "compound.count");
            List<Message> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int length = Fields.readLength(in, limits.maxStreamBytes(), "compound.part");
                int end = in.position() + length;
                int savedLimit = in.limit();
                in.setLimit(end);
                parts.add(Codec.readBody(kryo, in, false));
                if (in.position() != end) {
                    throw new DecodeFailure(Rejection.TRAILING_BYTES, "compound part has trailing bytes");
                }
                in.setLimit(savedLimit);
            }
            return new Compound(parts);
        }
    }

    static final class UserMessageSerializer extends Immutable<UserMessage> {
        private final Limits limits;

        UserMessageSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, UserMessage m) {
            Fields.writeBytes(out, m.payload());
        }

        @Override
        public UserMessage read(Kryo kryo, Input in, Class<? extends UserMessage> type) {
            return new UserMessage(Fields.readBytes(in, limits.maxStreamBytes(), "user.payload"));
        }
    }
}
