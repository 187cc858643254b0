package io.murmur.agent.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * A CLI command that talks to an agent over Serf's RPC protocol: {@code -rpc-addr} (or {@code SERF_RPC_ADDR}) and
 * {@code -rpc-auth} (or {@code SERF_RPC_AUTH}), as the {@code serf} CLI reads them. An agent that cannot be reached
 * or refuses the request prints one error line and exits 1.
 */
abstract class RpcCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "-rpc-addr",
            defaultValue = "${env:SERF_RPC_ADDR:-127.0.0.1:7373}",
            description = "RPC address of the agent (default: $SERF_RPC_ADDR or ${DEFAULT-VALUE}).")
    String rpcAddr;

    @Option(
            names = "-rpc-auth",
            defaultValue = "${env:SERF_RPC_AUTH:-}",
            description = "RPC token of the agent (default: $SERF_RPC_AUTH).")
    String rpcAuth;

    /** Runs the command over a connected, authenticated client; returns the exit code. */
    abstract int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RpcClient client = RpcClient.connect(rpcAddr, rpcAuth == null ? "" : rpcAuth)) {
            int code = run(client, out);
            out.flush();
            return code;
        } catch (RpcClient.RpcException e) {
            out.flush();
            spec.commandLine().getErr().println(e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    /** A usage error (bad flag value): picocli prints it with the usage and exits 2. */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** {@code key=value} texts as a map; a text without {@code =} is a usage error. */
    java.util.Map<String, String> keyValues(List<String> texts, String flag) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (String t : texts) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw usage(flag + " expects key=value, got '" + t + "'");
            }
            map.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return map;
    }

    /** Rows as left-aligned columns two spaces apart (the last column unpadded). */
    static void columns(PrintWriter out, List<String[]> rows) {
        int n = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[n];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
