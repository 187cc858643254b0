package io.murmur.agent.cli;

import io.murmur.agent.rpc.RpcValues;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code murmur reachability}, as {@code serf reachability} (reference §2.12): lists the members, asks Serf's internal
 * query {@code _serf_ping} with acks requested, and compares who acked with who is alive. Every member acks a query
 * it receives, so a live member that did not ack is one this node cannot reach, or that cannot reach it back.
 */
@Command(
        name = "reachability",
        mixinStandardHelpOptions = true,
        description = "Tests that every live member answers a ping query from the agent's node.")
final class ReachabilityCommand extends RpcCommand {

    /** Serf's internal ping query, the one internal query a Serf agent accepts over RPC (and only without payload). */
    static final String PING_QUERY = "_serf_ping";

    private static final String TIPS = String.join(
            "\n",
            "",
            "Things to check:",
            "* each node's bind address and port can be reached from every other node (UDP; and TCP for Serf agents)",
            "* an advertised address leads to its node's bind address",
            "* no node sits behind a NAT",
            "* firewalls and iptables let the gossip traffic through",
            "* every node holds the cluster's encryption key, or none does");

    @Option(names = "-verbose", description = "Print each ack as it arrives, and how long the query took.")
    boolean verbose;

    @Override
    int run(RpcClient client, PrintWriter out) throws RpcClient.RpcException {
        List<MembersCommand.Member> members = MembersCommand.members(client.request("members", null));
        Set<String> live = new TreeSet<>();
        members.stream().filter(m -> m.status().equals("alive")).forEach(m -> live.add(m.name()));
        out.printf("Total members: %d, live members: %d%n", members.size(), live.size());

        // The Go client's zero values: nil filters and payload, timeout 0 (the agent's default query timeout).
        client.call(
                "query",
                p -> RpcClient.map(
                        p,
                        "FilterNodes",
                        null,
                        "FilterTags",
                        null,
                        "RequestAck",
                        true,
                        "RelayFactor",
                        0,
                        "Timeout",
                        0L,
                        "Name",
                        PING_QUERY,
                        "Payload",
                        null));
        out.println("Starting reachability test...");
        out.flush();
        long start = System.nanoTime();
        long last = start;
        Set<String> acked = new TreeSet<>();
        boolean duplicates = false;
        RpcValues record;
        while ((record = client.nextRecord()) != null) {
            String type;
            String from;
            try {
                type = record.string("Type");
                from = record.string("From");
            } catch (RpcValues.Malformed e) {
                throw new RpcClient.RpcException("Error: the agent sent a bad query record: " + e.getMessage());
            }
            if (type.equals("done")) {
                break;
            }
            if (!type.equals("ack")) {
                continue; // the ping's empty responses, which a Murmur agent sends
            }
            if (verbose) {
                out.printf("\tAck from '%s'%n", from);
            }
            if (!acked.add(from)) {
                duplicates = true;
                out.printf("Duplicate response from '%s'%n", from);
            }
            last = System.nanoTime();
            out.flush();
        }
        if (verbose) {
            out.println(String.format(
                    Locale.ROOT,
                    "Query time: %.2f sec, time to last response: %.2f sec",
                    (System.nanoTime() - start) / 1e9,
                    (last - start) / 1e9));
        }
        return report(out, live, acked, duplicates);
    }

    /** Prints the verdict; 0 when exactly the live members acked, once each. */
    static int report(PrintWriter out, Set<String> live, Set<String> acked, boolean duplicates) {
        if (duplicates) {
            out.println("Duplicate acks: two members answer to one name. Check that node names are unique.");
        }
        Set<String> missing = new TreeSet<>(live);
        missing.removeAll(acked);
        Set<String> notLive = new TreeSet<>(acked);
        notLive.removeAll(live);
        if (missing.isEmpty() && notLive.isEmpty()) {
            out.println("Successfully contacted all live nodes");
            return duplicates ? 1 : 0;
        }
        if (!missing.isEmpty()) {
            out.println(
                    acked.size() < live.size()
                            ? "Received less acks than live nodes! Missing acks from:"
                            : "Missing acks from:");
            missing.forEach(n -> out.println("\t" + n));
            out.println("Gossip between this node and those may be getting lost: the network or the configuration"
                    + " is in the way.");
        }
        if (!notLive.isEmpty()) {
            out.println(
                    acked.size() > live.size()
                            ? "Received more acks than live nodes! Acks from non-live nodes:"
                            : "Acks from non-live nodes:");
            notLive.forEach(n -> out.println("\t" + n));
            out.println("Members answer that this node's view holds as failed or left: failure detection may be"
                    + " declaring healthy nodes dead, through the network or the configuration.");
        }
        out.println(TIPS);
        return 1;
    }
}
