package io.murmur.agent.cli;

import io.murmur.agent.http.Json;
import io.murmur.agent.rpc.RpcValues;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.msgpack.value.Value;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code murmur members}: the members the agent knows, filtered on the agent ({@code members-filtered}). */
@Command(name = "members", mixinStandardHelpOptions = true, description = "Lists the members of the cluster.")
final class MembersCommand extends RpcCommand {

    @Option(names = "-status", defaultValue = "", description = "Only members whose status matches this regexp.")
    String status;

    @Option(names = "-name", defaultValue = "", description = "Only members whose name matches this regexp.")
    String name;

    @Option(names = "-tag", description = "Only members with a tag matching key=regexp (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "-format", defaultValue = "text", description = "text or json.")
    String format;

    @Option(
            names = "-detailed",
            description = "Also show each member's protocol versions (text output only; json is unchanged).")
    boolean detailed;

    @Option(
            names = "-role",
            defaultValue = "",
            description =
                    "Deprecated (as in Serf): only members whose role tag matches this regexp; wins over -tag role=.")
    String role;

    static final String ROLE_DEPRECATED = "Deprecation warning: 'Role' has been replaced with 'Tags'";

    /**
     * The protocol versions a member speaks, as the RPC reply carries them: {@code Protocol*} is memberlist's wire
     * protocol, {@code Delegate*} Serf's (the one {@code serf members -detailed} calls "Protocol Version").
     */
    record Versions(
            int protocolMin, int protocolMax, int protocolCur, int delegateMin, int delegateMax, int delegateCur) {}

    /** A member as the RPC reply carries it. */
    record Member(String name, String addr, int port, Map<String, String> tags, String status, Versions versions) {}

    @Override
    int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
        if (!format.equals("text") && !format.equals("json")) {
            throw usage("-format must be text or json, not " + format);
        }
        Map<String, String> tagFilter = keyValues(tags, "-tag");
        if (!role.isEmpty()) {
            // Serf prints this on stdout, which spoils -format json; a warning belongs on stderr.
            spec.commandLine().getErr().println(ROLE_DEPRECATED);
            tagFilter.put("role", role);
        }
        RpcValues reply = client.request(
                "members-filtered", p -> RpcClient.map(p, "Tags", tagFilter, "Status", status, "Name", name));
        List<Member> members = members(reply);
        if (format.equals("json")) {
            out.println(json(members));
        } else {
            List<String[]> rows = new ArrayList<>();
            for (Member m : members) {
                String tagText = m.tags().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","));
                if (detailed) {
                    rows.add(detailedRow(m, tagText));
                } else {
                    rows.add(new String[] {m.name(), hostPort(m.addr(), m.port()), m.status(), tagText});
                }
            }
            columns(out, rows);
        }
        return 0;
    }

    /**
     * The members as {@code serf members -format json} prints them: {@code addr} is host and port (Go's
     * {@code net.TCPAddr}), {@code protocol} Serf's versions (the reply's {@code Delegate*} fields), keys of a map in
     * sorted order, and {@code "members": null} when none matched, as Go writes an empty slice it never appended to.
     */
    static String json(List<Member> members) {
        List<Object> list = new ArrayList<>();
        for (Member m : members) {
            Map<String, Object> protocol = new LinkedHashMap<>();
            protocol.put("max", m.versions().delegateMax());
            protocol.put("min", m.versions().delegateMin());
            protocol.put("version", m.versions().delegateCur());
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("name", m.name());
            member.put("addr", hostPort(m.addr(), m.port()));
            member.put("port", m.port());
            member.put("tags", m.tags());
            member.put("status", m.status());
            member.put("protocol", protocol);
            list.add(member);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("members", list.isEmpty() ? null : list);
        return Json.write(body, 2);
    }

    /**
     * A member's row with its versions: first the two columns {@code serf members -detailed} prints (Serf's protocol,
     * from the reply's {@code Delegate*} fields), so that what reads Serf's output reads Murmur's, then memberlist's
     * (the {@code Protocol*} fields), which the stock CLI leaves out.
     */
    static String[] detailedRow(Member m, String tagText) {
        Versions v = m.versions();
        return new String[] {
            m.name(),
            hostPort(m.addr(), m.port()),
            m.status(),
            tagText,
            "Protocol Version: " + v.delegateCur(),
            "Available Protocol Range: [" + v.delegateMin() + ", " + v.delegateMax() + "]",
            "Memberlist Version: " + v.protocolCur(),
            "Available Memberlist Range: [" + v.protocolMin() + ", " + v.protocolMax() + "]"
        };
    }

    static List<Member> members(RpcValues reply) throws RpcClient.RpcException {
        List<Member> members = new ArrayList<>();
        Value list = reply.value("Members");
        if (!list.isArrayValue()) {
            return members;
        }
        try {
            for (Value v : list.asArrayValue()) {
                RpcValues m = RpcValues.of(v);
                members.add(new Member(
                        m.string("Name"),
                        address(m.bytes("Addr")),
                        (int) m.integer("Port"),
                        new java.util.TreeMap<>(m.stringMap("Tags")),
                        m.string("Status"),
                        new Versions(
                                (int) m.integer("ProtocolMin"),
                                (int) m.integer("ProtocolMax"),
                                (int) m.integer("ProtocolCur"),
                                (int) m.integer("DelegateMin"),
                                (int) m.integer("DelegateMax"),
                                (int) m.integer("DelegateCur"))));
            }
        } catch (RpcValues.Malformed e) {
            throw new RpcClient.RpcException("Error: the agent sent a bad member: " + e.getMessage());
        }
        return members;
    }

    private static String address(byte[] ip) {
        try {
            return ip.length == 0 ? "" : InetAddress.getByAddress(ip).getHostAddress();
        } catch (UnknownHostException e) {
            return "";
        }
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
