package io.murmur.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that change membership: {@code join}, {@code leave}, {@code force-leave}, {@code tags}. */
final class MembershipCommands {

    private MembershipCommands() {}

    @Command(name = "join", mixinStandardHelpOptions = true, description = "Tells the agent to join a cluster.")
    static final class Join extends RpcCommand {
        @Option(names = "-replay", description = "Replay the cluster's past user events.")
        boolean replay;

        @Parameters(arity = "1..*", paramLabel = "ADDR", description = "Address (host[:port]) of a member.")
        List<String> addresses = new ArrayList<>();

        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            var reply = client.request("join", p -> RpcClient.map(p, "Existing", addresses, "Replay", replay));
            long n;
            try {
                n = reply.integer("Num");
            } catch (io.murmur.agent.rpc.RpcValues.Malformed e) {
                throw new RpcClient.RpcException("Error: the agent sent a bad join reply");
            }
            if (n == 0) {
                spec.commandLine().getErr().println("Error joining the cluster: no member answered");
                return 1;
            }
            out.printf("Successfully joined cluster by contacting %d node%s.%n", n, n == 1 ? "" : "s");
            return 0;
        }
    }

    @Command(
            name = "leave",
            mixinStandardHelpOptions = true,
            description = "Tells the agent to leave the cluster gracefully and shut down.")
    static final class Leave extends RpcCommand {
        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            client.call("leave", null);
            out.println("Graceful leave complete");
            return 0;
        }
    }

    @Command(name = "force-leave", mixinStandardHelpOptions = true, description = "Marks a (failed) member as left.")
    static final class ForceLeave extends RpcCommand {
        @Option(names = "-prune", description = "Forget the member at once instead of after the tombstone timeout.")
        boolean prune;

        @Parameters(index = "0", paramLabel = "NODE")
        String node;

        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            client.call("force-leave", p -> RpcClient.map(p, "Node", node, "Prune", prune));
            out.printf("Member '%s' forced to leave%s%n", node, prune ? " and pruned" : "");
            return 0;
        }
    }

    @Command(name = "tags", mixinStandardHelpOptions = true, description = "Sets or deletes the agent's tags.")
    static final class Tags extends RpcCommand {
        @Option(names = "-set", description = "key=value to set (repeatable).")
        List<String> set = new ArrayList<>();

        @Option(names = "-delete", description = "Key to delete (repeatable).")
        List<String> delete = new ArrayList<>();

        @Override
        int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
            if (set.isEmpty() && delete.isEmpty()) {
                throw usage("tags needs -set or -delete");
            }
            Map<String, String> tags = keyValues(set, "-set");
            client.call("tags", p -> RpcClient.map(p, "Tags", tags, "DeleteTags", delete));
            out.println("Successfully updated agent tags");
            return 0;
        }
    }
}
