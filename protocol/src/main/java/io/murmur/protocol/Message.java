package io.murmur.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Every message of the membership protocol. Records with value equality; the {@link Codec} gives each a fixed
 * registration id, so the set is closed and only ever appended to.
 *
 * <p>Incarnations are unsigned 32-bit values held in a {@code long} (0 .. 2^32-1), sequence numbers are opaque 32-bit
 * values compared for equality only.
 */
public sealed interface Message
        permits Message.Ping,
                Message.IndirectPing,
                Message.Ack,
                Message.Nack,
                Message.Alive,
                Message.Suspect,
                Message.Dead,
                Message.PushPull,
                Message.Compound,
                Message.UserMessage {

    /** Largest incarnation number (memberlist's is a uint32). */
    long MAX_INCARNATION = 0xFFFF_FFFFL;

    /** A direct probe of {@code target}; answered with an {@link Ack} sent to {@code source}. */
    record Ping(int seqNo, String target, String sourceNode, Address source) implements Message {
        public Ping {
            NodeInfo.checkName(target);
            NodeInfo.checkName(sourceNode);
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * A request to probe {@code target} on behalf of {@code sourceNode}; the intermediary forwards the ack, and when
     * {@code nack} is set answers with a {@link Nack} if no ack came in time (Lifeguard §IV-A).
     */
    record IndirectPing(
            int seqNo, String target, Address targetAddress, boolean nack, String sourceNode, Address source)
            implements Message {
        public IndirectPing {
            NodeInfo.checkName(target);
            Objects.requireNonNull(targetAddress, "targetAddress");
            NodeInfo.checkName(sourceNode);
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * The answer to a ping; {@code payload} is opaque to membership (the serf layer puts coordinates there).
     * {@code members} is how many live (alive or suspect) members the answering node counts, itself included (0: not
     * told, as in a relayed ack), so that a prober that counts fewer can tell it missed some (Murmur's addition).
     */
    record Ack(int seqNo, Bytes payload, int members) implements Message {
        public Ack {
            Objects.requireNonNull(payload, "payload");
            if (members < 0) {
                throw new IllegalArgumentException("members < 0: " + members);
            }
        }

        /** An ack that does not tell the table's size. */
        public Ack(int seqNo, Bytes payload) {
            this(seqNo, payload, 0);
        }
    }

    /** An intermediary's "I could not reach the target either". */
    record Nack(int seqNo) implements Message {}

    /** {@code node} is alive at {@code incarnation}, with this identity. */
    record Alive(long incarnation, NodeInfo node) implements Message {
        public Alive {
            checkIncarnation(incarnation);
            Objects.requireNonNull(node, "node");
        }

        public String name() {
            return node.name();
        }
    }

    /** {@code from} suspects {@code node} at {@code incarnation}. */
    record Suspect(long incarnation, String node, String from) implements Message {
        public Suspect {
            checkIncarnation(incarnation);
            NodeInfo.checkName(node);
            NodeInfo.checkName(from);
        }
    }

    /** {@code from} declares {@code node} dead at {@code incarnation}; {@code node == from} is a graceful leave. */
    record Dead(long incarnation, String node, String from) implements Message {
        public Dead {
            checkIncarnation(incarnation);
            NodeInfo.checkName(node);
            NodeInfo.checkName(from);
        }

        public boolean isLeave() {
            return node.equals(from);
        }
    }

    /** One row of a push/pull state exchange. */
    record PushNodeState(NodeInfo node, long incarnation, NodeState state) {
        public PushNodeState {
            Objects.requireNonNull(node, "node");
            checkIncarnation(incarnation);
            Objects.requireNonNull(state, "state");
        }
    }

    /** A full-state exchange over the reliable path, at join ({@code join}) and periodically (anti-entropy). */
    record PushPull(boolean join, List<PushNodeState> nodes, Bytes userState) implements Message {
        public PushPull {
            nodes = List.copyOf(nodes);
            Objects.requireNonNull(userState, "userState");
        }
    }

    /** Several messages in one packet (memberlist's compound message); never nested. */
    record Compound(List<Message> parts) implements Message {
        public Compound {
            parts = List.copyOf(parts);
            for (Message m : parts) {
                if (m instanceof Compound) {
                    throw new IllegalArgumentException("compound messages do not nest");
                }
            }
        }
    }

    /** An application's message, opaque to membership. */
    record UserMessage(Bytes payload) implements Message {
        public UserMessage {
            Objects.requireNonNull(payload, "payload");
        }
    }

    static long checkIncarnation(long incarnation) {
        if (incarnation < 0 || incarnation > MAX_INCARNATION) {
            throw new IllegalArgumentException("incarnation out of range: " + incarnation);
        }
        return incarnation;
    }
}
