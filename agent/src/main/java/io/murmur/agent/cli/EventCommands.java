package io.murmur.agent.cli;

import io.murmur.agent.http.Json;
import io.murmur.agent.rpc.RpcValues;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code event} (fire and forget) and {@code query} (acks and responses streamed back until done). */
final class EventCommands {

    private EventCommands() {}

    /** {@code 500ms}, {@code 5s}, {@code 2m}, as the agent's configuration writes durations. */
    static final class Timeout implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return io.murmur.membership.MembershipConfig.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Command(name = "event", mixinStandardHelpOptions = true, description = "Fires a user event across the cluster.")
    static final class Event extends RpcCommand {
        @Option(names = "-coalesce", defaultValue = "true", arity = "0..1", description = "Let coalescing drop it.")
        boolean coalesce;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PAYLOAD")
        String payload = "";

        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            client.call("event", p -> RpcClient.map(p, "Name", name, "Payload", bytes, "Coalesce", coalesce));
            out.printf("Event '%s' dispatched! Coalescing enabled: %s%n", name, coalesce);
            return 0;
        }
    }

    @Command(
            name = "query",
            mixinStandardHelpOptions = true,
            description = "Asks the cluster a query and prints the acks and responses.")
    static final class Query extends RpcCommand {
        @Option(names = "-node", description = "Only this member answers (repeatable).")
        List<String> nodes = new ArrayList<>();

        @Option(names = "-tag", description = "Only members with a tag matching key=regexp answer (repeatable).")
        List<String> tags = new ArrayList<>();

        @Option(
                names = "-timeout",
                defaultValue = "0s",
                converter = Timeout.class,
                description = "How long to wait (e.g. 5s; 0: the agent's default).")
        Duration timeout;

        @Option(names = "-no-ack", description = "Do not ask members to ack.")
        boolean noAck;

        @Option(names = "-relay-factor", defaultValue = "0", description = "Members relaying each response (0-5).")
        int relayFactor;

        @Option(names = "-format", defaultValue = "text", description = "text or json.")
        String format;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PAYLOAD")
        String payload = "";

        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            boolean json = format.equals("json");
            if (!json && !format.equals("text")) {
                throw usage("-format must be text or json, not " + format);
            }
            if (relayFactor < 0 || relayFactor > 5) {
                throw usage("-relay-factor must be within 0..5");
            }
            Map<String, String> tagFilter = keyValues(tags, "-tag");
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            client.call(
                    "query",
                    p -> RpcClient.map(
                            p,
                            "FilterNodes",
                            nodes,
                            "FilterTags",
                            tagFilter,
                            "RequestAck",
                            !noAck,
                            "RelayFactor",
                            relayFactor,
                            "Timeout",
                            timeout.toNanos(),
                            "Name",
                            name,
                            "Payload",
                            bytes));
            if (!json) {
                out.printf("Query '%s' dispatched%n", name);
                out.flush();
            }
            List<String> acks = new ArrayList<>();
            Map<String, String> responses = new LinkedHashMap<>();
            RpcValues record;
            while ((record = client.nextRecord()) != null) {
                try {
                    String type = record.string("Type");
                    String from = record.string("From");
                    if (type.equals("done")) {
                        break;
                    } else if (type.equals("ack")) {
                        acks.add(from);
                        if (!json) {
                            out.printf("Ack from '%s'%n", from);
                        }
                    } else if (type.equals("response")) {
                        String text = new String(record.bytes("Payload"), StandardCharsets.UTF_8);
                        responses.put(from, text);
                        if (!json) {
                            out.printf("Response from '%s': %s%n", from, text);
                        }
                    }
                    out.flush();
                } catch (RpcValues.Malformed e) {
                    throw new RpcClient.RpcException("Error: the agent sent a bad query record: " + e.getMessage());
                }
            }
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("Acks", new ArrayList<Object>(acks));
                result.put("Responses", responses);
                out.println(Json.write(result, 2));
            } else {
                if (!noAck) {
                    out.printf("Total Acks: %d%n", acks.size());
                }
                out.printf("Total Responses: %d%n", responses.size());
            }
            return 0;
        }
    }
}
