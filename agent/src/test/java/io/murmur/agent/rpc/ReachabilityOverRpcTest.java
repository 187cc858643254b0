package io.murmur.agent.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.agent.Main;
import io.murmur.protocol.Address;
import io.murmur.protocol.Bytes;
import io.murmur.serf.MemberStatus;
import io.murmur.serf.QueryReply;
import io.murmur.serf.SerfMember;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code murmur reachability} against a fake node behind a real RPC server: the test decides who acks, so a member
 * that does not answer is certain, not a race with failure detection.
 */
class ReachabilityOverRpcTest {

    private final FakeSerf serf = new FakeSerf();
    private RpcServer server;

    @BeforeEach
    void start() throws Exception {
        serf.members = List.of(
                member("a1", MemberStatus.ALIVE),
                member("b2", MemberStatus.ALIVE),
                member("c3", MemberStatus.ALIVE),
                member("d4", MemberStatus.FAILED));
        server = RpcServer.start(new InetSocketAddress("127.0.0.1", 0), serf, "", null, () -> {});
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static SerfMember member(String name, MemberStatus status) {
        return new SerfMember(name, new Address("10.0.0." + name.charAt(1), 7946), Map.of(), status);
    }

    /** What a command printed and its exit code. */
    private record Run(int exit, String out) {}

    /** Runs {@code murmur reachability args} on another thread: it blocks until the query is done. */
    private CompletableFuture<Run> reachability(String... args) {
        return CompletableFuture.supplyAsync(() -> {
            StringWriter out = new StringWriter();
            List<String> all =
                    new java.util.ArrayList<>(List.of("reachability", "-rpc-addr=127.0.0.1:" + server.port()));
            all.addAll(List.of(args));
            int exit = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), all.toArray(String[]::new));
            return new Run(exit, out.toString());
        });
    }

    @Test
    void sendsSerfsPingWithAcksAndTheAgentsDefaultTimeout() throws Exception {
        CompletableFuture<Run> run = reachability();
        assertEquals("query _serf_ping  nodes=[] tags={} ack=true timeout=PT0S", serf.calls.poll(10, TimeUnit.SECONDS));
        serf.lastQuery.accept(new QueryReply.Ack("b2"));
        serf.lastQuery.accept(new QueryReply.Response("b2", Bytes.EMPTY)); // a Murmur node also answers the ping
        serf.lastQuery.accept(new QueryReply.Ack("c3"));
        serf.lastQuery.accept(new QueryReply.Done(3, 3, 1, Set.of(), false));
        Run r = run.get(30, TimeUnit.SECONDS);
        assertEquals(
                "Total members: 4, live members: 3\n"
                        + "Starting reachability test...\n"
                        + "Successfully contacted all live nodes\n",
                r.out());
        assertEquals(0, r.exit());
    }

    @Test
    void listsTheLiveMembersThatDidNotAckAndExitsOne() throws Exception {
        CompletableFuture<Run> run = reachability("-verbose");
        assertTrue(serf.calls.poll(10, TimeUnit.SECONDS).startsWith("query _serf_ping"));
        serf.lastQuery.accept(new QueryReply.Ack("d4")); // failed in the agent's view, yet it answered
        serf.lastQuery.accept(new QueryReply.Done(3, 2, 0, Set.of("b2", "c3"), true));
        Run r = run.get(30, TimeUnit.SECONDS);
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("\tAck from 'a1'\n\tAck from 'd4'\nQuery time: "), r.out());
        assertTrue(r.out().contains("Received less acks than live nodes! Missing acks from:\n\tb2\n\tc3\n"), r.out());
        assertTrue(r.out().contains("Acks from non-live nodes:\n\td4\n"), r.out());
        assertTrue(!r.out().contains("Successfully"), r.out());
    }
}
