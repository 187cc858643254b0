package io.murmur.agent.rpc;

import io.murmur.serf.KeyCommands;
import io.murmur.serf.SerfEvent;
import io.murmur.serf.SerfMember;
import io.murmur.serf.coordinate.Coordinate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Encodes what the agent sends, with go-msgpack's {@code WriteExt: true} conventions (reference §2.13): strings as
 * {@code str}, byte slices as {@code bin}, structs as maps keyed by the Go field names, IPs as {@code bin} of 4 or 16
 * bytes. Every frame is a {@code responseHeader{Seq, Error}}, followed by a body when the command has one.
 */
final class RpcCodec {

    /**
     * Serf's protocol versions (memberlist 1..5, current 2; serf 2..5, current 5). Murmur's members carry none, so
     * every member reports these (the CLI shows them only with {@code -detailed}), except that this node reports the
     * serf version it was started with ({@code -protocol}) as its {@code DelegateCur}.
     */
    static final int PROTOCOL_MIN = 1;

    static final int PROTOCOL_MAX = 5;
    static final int PROTOCOL_CUR = 2;
    static final int DELEGATE_MIN = 2;
    static final int DELEGATE_MAX = 5;
    static final int DELEGATE_CUR = 5;

    /** This node, which reports its own serf protocol version; the other members report Serf's default. */
    record Local(String name, int protocol) {
        static Local of(AgentSerf serf) {
            return new Local(serf.name(), serf.protocolVersion());
        }

        int delegateCur(SerfMember m) {
            return m.name().equals(name) ? protocol : DELEGATE_CUR;
        }
    }

    /** Writes a body into a packer. */
    interface Body {
        void write(MessagePacker p) throws IOException;
    }

    private RpcCodec() {}

    /** A header, then {@code body} unless it is null. */
    static byte[] frame(long seq, String error, Body body) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(2);
            p.packString("Seq");
            p.packLong(seq);
            p.packString("Error");
            p.packString(error);
            if (body != null) {
                body.write(p);
            }
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a buffer packer does no I/O
        }
    }

    static Body members(List<SerfMember> members, Local local) {
        return p -> {
            p.packMapHeader(1);
            p.packString("Members");
            memberList(p, members, local);
        };
    }

    static Body join(int num) {
        return p -> {
            p.packMapHeader(1);
            p.packString("Num");
            p.packInt(num);
        };
    }

    /** {@code keyResponse}; {@code withKeys} for list-keys. */
    static Body keys(KeyCommands.KeyResponse r, boolean withKeys) {
        return p -> {
            p.packMapHeader(withKeys ? 5 : 4);
            p.packString("Messages");
            stringMap(p, r.messages());
            if (withKeys) {
                p.packString("Keys");
                p.packMapHeader(r.keys().size());
                for (Map.Entry<String, Integer> e : r.keys().entrySet()) {
                    p.packString(e.getKey());
                    p.packInt(e.getValue());
                }
            }
            p.packString("NumNodes");
            p.packInt(r.numNodes());
            p.packString("NumErr");
            p.packInt(r.numErr());
            p.packString("NumResp");
            p.packInt(r.numResp());
        };
    }

    static Body stats(Map<String, Map<String, String>> sections) {
        return p -> {
            p.packMapHeader(sections.size());
            for (Map.Entry<String, Map<String, String>> e : sections.entrySet()) {
                p.packString(e.getKey());
                stringMap(p, e.getValue());
            }
        };
    }

    /** {@code {Coord *Coordinate, Ok bool}}; Coord is nil when unknown. */
    static Body coordinate(Coordinate c) {
        return p -> {
            p.packMapHeader(2);
            p.packString("Coord");
            if (c == null) {
                p.packNil();
            } else {
                double[] vec = c.vec();
                p.packMapHeader(4);
                p.packString("Vec");
                p.packArrayHeader(vec.length);
                for (double d : vec) {
                    p.packDouble(d);
                }
                p.packString("Error");
                p.packDouble(c.error());
                p.packString("Adjustment");
                p.packDouble(c.adjustment());
                p.packString("Height");
                p.packDouble(c.height());
            }
            p.packString("Ok");
            p.packBoolean(c != null);
        };
    }

    /** A query stream record: {@code ack}, {@code response} or {@code done}. */
    static Body queryRecord(String type, String from, byte[] payload) {
        return p -> {
            p.packMapHeader(3);
            p.packString("Type");
            p.packString(type);
            p.packString("From");
            p.packString(from);
            p.packString("Payload");
            bin(p, payload);
        };
    }

    static Body logRecord(String line) {
        return p -> {
            p.packMapHeader(1);
            p.packString("Log");
            p.packString(line);
        };
    }

    /** An event stream record; {@code queryId} is the id the client answers a query with. */
    static Body event(SerfEvent event, long queryId, Local local) {
        return p -> {
            if (event instanceof SerfEvent.Members m) {
                p.packMapHeader(2);
                p.packString("Event");
                p.packString(m.type().serfName());
                p.packString("Members");
                memberList(p, m.members(), local);
            } else if (event instanceof SerfEvent.User u) {
                p.packMapHeader(5);
                p.packString("Event");
                p.packString("user");
                p.packString("LTime");
                p.packLong(u.ltime());
                p.packString("Name");
                p.packString(u.name());
                p.packString("Payload");
                bin(p, u.payload().toArray());
                p.packString("Coalesce");
                p.packBoolean(u.coalesce());
            } else if (event instanceof SerfEvent.Query q) {
                p.packMapHeader(5);
                p.packString("Event");
                p.packString("query");
                p.packString("ID");
                p.packLong(queryId);
                p.packString("LTime");
                p.packLong(q.ltime());
                p.packString("Name");
                p.packString(q.name());
                p.packString("Payload");
                bin(p, q.payload().toArray());
            }
        };
    }

    private static void memberList(MessagePacker p, List<SerfMember> members, Local local) throws IOException {
        p.packArrayHeader(members.size());
        for (SerfMember m : members) {
            member(p, m, local.delegateCur(m));
        }
    }

    static void member(MessagePacker p, SerfMember m, int delegateCur) throws IOException {
        p.packMapHeader(11);
        p.packString("Name");
        p.packString(m.name());
        p.packString("Addr");
        bin(p, ipBytes(m.address().host()));
        p.packString("Port");
        p.packInt(m.address().port());
        p.packString("Tags");
        stringMap(p, m.tags());
        p.packString("Status");
        p.packString(m.status().serfName());
        p.packString("ProtocolMin");
        p.packInt(PROTOCOL_MIN);
        p.packString("ProtocolMax");
        p.packInt(PROTOCOL_MAX);
        p.packString("ProtocolCur");
        p.packInt(PROTOCOL_CUR);
        p.packString("DelegateMin");
        p.packInt(DELEGATE_MIN);
        p.packString("DelegateMax");
        p.packInt(DELEGATE_MAX);
        p.packString("DelegateCur");
        p.packInt(delegateCur);
    }

    /** An IPv4 literal as 4 bytes, IPv6 as 16, a name as what it resolves to; empty when unknown. */
    static byte[] ipBytes(String host) {
        try {
            return InetAddress.getByName(host).getAddress(); // a literal needs no lookup
        } catch (UnknownHostException e) {
            return new byte[0];
        }
    }

    private static void stringMap(MessagePacker p, Map<String, String> map) throws IOException {
        p.packMapHeader(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            p.packString(e.getKey());
            p.packString(e.getValue());
        }
    }

    private static void bin(MessagePacker p, byte[] bytes) throws IOException {
        p.packBinaryHeader(bytes.length);
        p.writePayload(bytes);
    }
}
