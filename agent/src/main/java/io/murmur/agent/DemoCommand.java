package io.murmur.agent;

import com.typesafe.config.ConfigFactory;
import io.murmur.membership.MembershipConfig;
import io.murmur.membership.MurmurNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code murmur demo}: a small cluster in this process on loopback Aeron. Every node prints the membership changes it
 * sees; then one node leaves gracefully and another is stopped without a word, and everyone notices.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Starts a cluster on loopback, shows a graceful leave and the detection of a stopped node.")
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--nodes",
            defaultValue = "5",
            description = "Nodes to start, at least 3 (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--profile", defaultValue = "local", description = "lan, wan or local (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(
            names = "--timeout",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Longest wait for each step (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final long start = System.nanoTime();

    @Override
    public Integer call() throws Exception {
        if (nodes < 3) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--nodes must be at least 3");
        }
        MembershipConfig config = Profiles.load(profile, spec);
        String leaver = "n" + (nodes - 2);
        String victim = "n" + (nodes - 1);
        List<Set<String>> alive = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            alive.add(new HashSet<>());
        }
        Set<Integer> converged = ConcurrentHashMap.newKeySet();
        CountDownLatch allConverged = new CountDownLatch(nodes);
        CountDownLatch leaveSeen = new CountDownLatch(nodes - 1);
        CountDownLatch failureSeen = new CountDownLatch(nodes - 2);

        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "murmur-demo", ConfigFactory.load());
        try (LocalCluster<MurmurNode> cluster =
                LocalCluster.membership(system, LocalCluster.Kind.AERON, config, 42, (i, e) -> {
                    String who = "n" + i;
                    String name = e.member().name();
                    switch (e.type()) {
                        case JOIN -> {
                            alive.get(i).add(name);
                            if (!name.equals(who)) {
                                say(
                                        "%s sees %s join (%s)",
                                        who, name, e.member().address());
                            }
                            if (alive.get(i).size() == nodes && converged.add(i)) {
                                allConverged.countDown();
                            }
                        }
                        case LEAVE -> {
                            alive.get(i).remove(name);
                            if (!name.equals(who)) {
                                say("%s sees %s leave", who, name);
                                if (name.equals(leaver)) {
                                    leaveSeen.countDown();
                                }
                            }
                        }
                        case FAILED -> {
                            alive.get(i).remove(name);
                            say("%s declares %s FAILED", who, name);
                            if (name.equals(victim)) {
                                failureSeen.countDown();
                            }
                        }
                        case UPDATE -> say("%s sees %s update its metadata", who, name);
                    }
                })) {
            say(
                    "starting %d nodes on loopback Aeron (%s profile: probe every %s, timeout %s)",
                    nodes, profile, readable(config.probeInterval()), readable(config.probeTimeout()));
            for (int i = 0; i < nodes; i++) {
                say("n%d listens on %s", i, cluster.start().address());
            }
            say("n1..n%d join through n0", nodes - 1);
            cluster.joinAllThroughFirst((n, seedAddress) -> n.join(seedAddress));
            await(allConverged, "every node to see " + nodes + " alive members");
            say("converged: every node sees %d alive members", nodes);

            say("%s leaves gracefully", leaver);
            cluster.get(nodes - 2)
                    .leave(Duration.ofSeconds(5))
                    .toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            await(leaveSeen, "the others to see " + leaver + " leave");
            cluster.get(nodes - 2).stop().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);

            long stoppedAt = System.nanoTime();
            say("stopping %s without a word (as a crash would)", victim);
            cluster.get(nodes - 1).stop().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            await(failureSeen, "the others to detect the failure of " + victim);
            say(
                    "every remaining node detected %s's failure within %.2f s of the stop",
                    victim, (System.nanoTime() - stoppedAt) / 1e9);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        say("done");
        return 0;
    }

    private static String readable(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
        }
    }

    private void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%7.3fs] " + format + "%n", prepend((System.nanoTime() - start) / 1e9, args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
