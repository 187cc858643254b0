package io.murmur.agent.cli;

import io.murmur.agent.http.Json;
import io.murmur.agent.rpc.RpcValues;
import io.murmur.serf.coordinate.Coordinate;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import org.msgpack.value.Value;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What an agent can tell about itself: {@code info} (its stats), {@code rtt} (coordinates), {@code monitor} (logs). */
final class InfoCommands {

    private InfoCommands() {}

    /** The {@code stats} reply: section, then key, then value, each sorted by name. */
    static Map<String, Map<String, String>> stats(RpcClient client) throws RpcClient.RpcException {
        Value v = client.requestRaw("stats", null);
        Map<String, Map<String, String>> sections = new TreeMap<>();
        try {
            for (Map.Entry<Value, Value> e : v.asMapValue().entrySet()) {
                Map<String, String> section = new TreeMap<>();
                for (Map.Entry<Value, Value> kv : e.getValue().asMapValue().entrySet()) {
                    section.put(RpcValues.text(kv.getKey()), RpcValues.text(kv.getValue()));
                }
                sections.put(RpcValues.text(e.getKey()), section);
            }
        } catch (RpcValues.Malformed | RuntimeException e) {
            throw new RpcClient.RpcException("Error: the agent sent bad stats: " + e.getMessage());
        }
        return sections;
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Prints the agent's stats by section.")
    static final class Info extends RpcCommand {
        @Option(names = "-format", defaultValue = "text", description = "text or json.")
        String format;

        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            if (!format.equals("text") && !format.equals("json")) {
                throw usage("-format must be text or json, not " + format);
            }
            Map<String, Map<String, String>> sections = stats(client);
            if (format.equals("json")) {
                out.println(Json.write(sections, 2));
                return 0;
            }
            sections.forEach((name, section) -> {
                out.println(name + ":");
                section.forEach((k, val) -> out.printf("\t%s = %s%n", k, val));
            });
            return 0;
        }
    }

    @Command(
            name = "rtt",
            mixinStandardHelpOptions = true,
            description = "Estimates the round trip between two members (the agent itself when one is given).")
    static final class Rtt extends RpcCommand {
        @Parameters(arity = "1..2", paramLabel = "NODE")
        java.util.List<String> nodes;

        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            String a = nodes.get(0);
            String b = nodes.size() > 1
                    ? nodes.get(1)
                    : stats(client).getOrDefault("agent", Map.of()).get("name");
            Coordinate ca = coordinate(client, a);
            Coordinate cb = coordinate(client, b);
            if (ca == null || cb == null) {
                spec.commandLine().getErr().printf("Error: no coordinate for '%s'%n", ca == null ? a : b);
                return 1;
            }
            double ms = ca.distanceTo(cb).toNanos() / 1e6;
            out.printf("Estimated %s <-> %s rtt: %.3f ms (using LAN coordinates)%n", a, b, ms);
            return 0;
        }

        private static Coordinate coordinate(RpcClient client, String node) throws RpcClient.RpcException {
            RpcValues reply = client.request("get-coordinate", p -> RpcClient.map(p, "Node", node));
            try {
                if (!reply.bool("Ok")) {
                    return null;
                }
                RpcValues c = RpcValues.of(reply.value("Coord"));
                Value vec = c.value("Vec");
                double[] v = new double[vec.asArrayValue().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = vec.asArrayValue().get(i).asFloatValue().toDouble();
                }
                return new Coordinate(v, real(c.value("Error")), real(c.value("Adjustment")), real(c.value("Height")));
            } catch (RpcValues.Malformed | RuntimeException e) {
                throw new RpcClient.RpcException("Error: the agent sent a bad coordinate: " + e.getMessage());
            }
        }

        private static double real(Value v) {
            return v.isFloatValue()
                    ? v.asFloatValue().toDouble()
                    : v.isIntegerValue() ? v.asIntegerValue().toLong() : 0;
        }
    }

    @Command(
            name = "monitor",
            mixinStandardHelpOptions = true,
            description = "Streams the agent's log lines until interrupted.")
    static final class Monitor extends RpcCommand {
        @Option(names = "-log-level", defaultValue = "INFO", description = "TRACE, DEBUG, INFO, WARN or ERR.")
        String logLevel;

        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            client.call("monitor", p -> RpcClient.map(p, "LogLevel", logLevel));
            RpcValues record;
            while ((record = client.nextRecord()) != null) {
                try {
                    out.println(record.string("Log"));
                } catch (RpcValues.Malformed e) {
                    throw new RpcClient.RpcException("Error: the agent sent a bad log record");
                }
                out.flush();
            }
            return 0;
        }
    }
}
