package io.murmur.agent.cli;

import io.murmur.agent.http.Json;
import io.murmur.agent.rpc.RpcValues;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.msgpack.value.Value;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keys} (the cluster's keyring, on every member) and {@code keygen} (a new key, no agent needed). */
final class KeysCommands {

    private KeysCommands() {}

    @Command(
            name = "keys",
            mixinStandardHelpOptions = true,
            description = "Installs, uses, removes or lists the keyring's keys on every member.")
    static final class Keys extends RpcCommand {

        static final class Action {
            @Option(names = "-install", paramLabel = "KEY", description = "Add a key to every keyring.")
            String install;

            @Option(names = "-use", paramLabel = "KEY", description = "Make an installed key the primary.")
            String use;

            @Option(names = "-remove", paramLabel = "KEY", description = "Remove a key that is not the primary.")
            String remove;

            @Option(names = "-list", description = "List the keys and how many members hold each.")
            boolean list;
        }

        @ArgGroup(multiplicity = "1")
        Action action;

        @Option(names = "-format", defaultValue = "text", description = "text or json (for -list).")
        String format;

        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            if (action.list) {
                return list(client, out);
            }
            String[] words = action.install != null
                    ? new String[] {"install-key", action.install, "Installing key", "installed key"}
                    : action.use != null
                            ? new String[] {"use-key", action.use, "Changing primary key", "changed primary key"}
                            : new String[] {"remove-key", action.remove, "Removing key", "removed key"};
            out.printf("%s on all members...%n", words[2]).flush();
            RpcClient.Answer answer = client.requestAnswer(words[0], p -> RpcClient.map(p, "Key", words[1]));
            if (!answer.error().isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                err.printf("Error: %s%n", answer.error());
                Value messages = answer.body().value("Messages");
                if (messages.isMapValue()) {
                    for (Map.Entry<Value, Value> e : messages.asMapValue().entrySet()) {
                        err.printf("  %s: %s%n", e.getKey(), e.getValue());
                    }
                }
                err.flush();
                return 1;
            }
            out.printf("Successfully %s!%n", words[3]);
            return 0;
        }

        private int list(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            RpcValues reply = client.request("list-keys", null);
            Map<String, Long> keys = new TreeMap<>();
            long nodes;
            Value v = reply.value("Keys");
            try {
                if (v.isMapValue()) {
                    for (Map.Entry<Value, Value> e : v.asMapValue().entrySet()) {
                        keys.put(
                                RpcValues.text(e.getKey()),
                                e.getValue().asIntegerValue().toLong());
                    }
                }
                nodes = reply.integer("NumNodes");
            } catch (RpcValues.Malformed | RuntimeException e) {
                throw new RpcClient.RpcException("Error: the agent sent a bad key list: " + e.getMessage());
            }
            if (format.equals("json")) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("keys", keys);
                json.put("num_nodes", nodes);
                out.println(Json.write(json, 2));
                return 0;
            }
            out.println("Keys gathered, listing results...");
            out.println();
            for (Map.Entry<String, Long> e : keys.entrySet()) {
                out.printf("%s [%d/%d]%n", e.getKey(), e.getValue(), nodes);
            }
            return 0;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true, description = "Prints a new 32-byte key (base64).")
    static final class Keygen implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            spec.commandLine().getOut().println(Base64.getEncoder().encodeToString(key));
            spec.commandLine().getOut().flush();
        }
    }
}
