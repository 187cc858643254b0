package io.murmur.protocol;

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
import java.util.HexFormat;
import java.util.List;

/**
 * One message of every type with the bytes {@link Codec#encode} gives it. The vectors were generated once from the
 * codec and checked by hand against the layout in {@link Codec}, {@link Serializers} and {@link Fields}; they pin the
 * wire format, so a change here is a protocol change.
 *
 * <p>Every message starts with its registration id as a varint, written as id + 2 (Ping 20 → {@code 16}, UserMessage 29
 * → {@code 1f}). Then the fields in record component order: {@code int} seqNo as 4 bytes little-endian (Kryo's
 * {@code writeInt}); strings and byte strings as an unsigned varint length and the (UTF-8) bytes; an address as its
 * host string and the port as 2 bytes little-endian; incarnations as unsigned varlongs; booleans and node states as
 * one byte; versions as six bytes. See {@link CodecGoldenTest} for one vector taken apart byte by byte.
 */
final class GoldenVectors {
    private GoldenVectors() {}

    static final HexFormat HEX = HexFormat.of();

    /** The frame header: magic {@code 4d}, version {@code 01}, flags {@code 00}. */
    static final String HEADER = "4d0100";

    record Vector(String name, Message message, String hex) {
        byte[] body() {
            return HEX.parseHex(hex);
        }

        byte[] frame() {
            return HEX.parseHex(HEADER + hex);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Address N1 = new Address("10.0.0.1", 7946);

    static final Ping PING = new Ping(0x01020304, "n2", "n1", N1);

    static final IndirectPing INDIRECT_PING = new IndirectPing(7, "n3", new Address("10.0.0.3", 7946), true, "n1", N1);

    static final Ack ACK = new Ack(42, Bytes.of(new byte[] {(byte) 0xCA, (byte) 0xFE}), 200);

    static final Nack NACK = new Nack(-2);

    static final Alive ALIVE = new Alive(
            300,
            new NodeInfo("nöde-1", new Address("::1", 443), Bytes.utf8("role=db"), new Versions(1, 2, 1, 0, 3, 2)));

    static final Suspect SUSPECT = new Suspect(Message.MAX_INCARNATION, "n2", "n1");

    static final Dead DEAD = new Dead(0, "n2", "n2");

    static final PushPull PUSH_PULL = new PushPull(
            true,
            List.of(
                    new PushNodeState(new NodeInfo("a", new Address("h", 1)), 0, NodeState.ALIVE),
                    new PushNodeState(
                            new NodeInfo("b", new Address("h", 2), Bytes.utf8("m"), Versions.CURRENT),
                            128,
                            NodeState.SUSPECT),
                    new PushNodeState(new NodeInfo("c", new Address("h", 3)), 16384, NodeState.DEAD),
                    new PushNodeState(
                            new NodeInfo("d", new Address("h", 65535)), Message.MAX_INCARNATION, NodeState.LEFT)),
            Bytes.utf8("us"));

    static final Compound COMPOUND =
            new Compound(List.of(new Nack(1), new Suspect(2, "n2", "n1"), new UserMessage(Bytes.utf8("x"))));

    static final UserMessage USER_MESSAGE = new UserMessage(Bytes.utf8("hello"));

    static final List<Vector> ALL = List.of(
            new Vector(
                    "Ping",
                    PING,
                    "16" + "04030201" + "02" + "6e32" + "02" + "6e31" + "08" + "31302e302e302e31" + "0a1f"),
            new Vector(
                    "IndirectPing",
                    INDIRECT_PING,
                    "17" + "07000000" + "02" + "6e33" + "08" + "31302e302e302e33" + "0a1f" + "01" + "02" + "6e31" + "08"
                            + "31302e302e302e31" + "0a1f"),
            new Vector("Ack", ACK, "18" + "2a000000" + "02" + "cafe" + "c801"),
            new Vector("Nack", NACK, "19" + "feffffff"),
            new Vector(
                    "Alive",
                    ALIVE,
                    "1a" + "ac02" + "07" + "6ec3b664652d31" + "03" + "3a3a31" + "bb01" + "07" + "726f6c653d6462"
                            + "010201000302"),
            new Vector("Suspect", SUSPECT, "1b" + "ffffffff0f" + "02" + "6e32" + "02" + "6e31"),
            new Vector("Dead", DEAD, "1c" + "00" + "02" + "6e32" + "02" + "6e32"),
            new Vector(
                    "PushPull",
                    PUSH_PULL,
                    "1d" + "01" + "04"
                            // name, host, port, meta, versions, incarnation, state
                            + "0161" + "0168" + "0100" + "00" + "010101000000" + "00" + "00"
                            + "0162" + "0168" + "0200" + "016d" + "010101000000" + "8001" + "01"
                            + "0163" + "0168" + "0300" + "00" + "010101000000" + "808001" + "02"
                            + "0164" + "0168" + "ffff" + "00" + "010101000000" + "ffffffff0f" + "03"
                            + "02" + "7573"),
            new Vector(
                    "Compound",
                    COMPOUND,
                    "1e" + "03" + "05" + "1901000000" + "08" + "1b02026e32026e31" + "03" + "1f0178"),
            new Vector("UserMessage", USER_MESSAGE, "1f" + "05" + "68656c6c6f"));
}
