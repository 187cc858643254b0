package io.murmur.membership;

import io.murmur.protocol.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The protocol cores of one node, built and started the same way for every runner: the node's actors, and the
 * simulator that runs thousands of nodes in virtual time. Each core gets its own generator split from the node's
 * seed, so a node's random choices replay exactly.
 *
 * <p>The member table starts first, and the other cores begin by following its first view, so that no core (and no
 * join) ever sees a table without this node in it.
 */
public final class NodeCores {

    public final MemberTable table;
    public final Prober prober;
    public final Gossiper gossiper;
    public final Syncer syncer;
    private final List<Effect> startEffects;

    private NodeCores(NodeSettings settings, Codec codec, List<Effect> tableStart, MemberView clusterOrNull, long now) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        MembershipConfig config = settings.config();
        this.table = new MemberTable(settings.self(), config);
        if (clusterOrNull == null) {
            tableStart.addAll(table.start(now));
        } else {
            table.startIn(clusterOrNull, now);
        }
        this.gossiper = new Gossiper(settings.name(), codec, config, random.split());
        this.prober = new Prober(settings.self(), config, random.split());
        this.syncer = new Syncer(settings.self(), config, random.split());
        gossiper.follow(table.view());
        prober.follow(table.view());
        syncer.follow(table.view());
        this.startEffects =
                tableStart.stream().filter(e -> !(e instanceof Effect.Changed)).toList();
    }

    /** A node on its own: its table holds only itself until it joins. */
    public static NodeCores start(NodeSettings settings, Codec codec, long now) {
        return new NodeCores(settings, codec, new ArrayList<>(), null, now);
    }

    /** A node already in a converged cluster ({@code cluster} holds it, alive). */
    public static NodeCores startIn(NodeSettings settings, Codec codec, MemberView cluster, long now) {
        return new NodeCores(settings, codec, new ArrayList<>(), cluster, now);
    }

    /**
     * What the table's start asked for besides the view the other cores already follow: the broadcast of this node's
     * alive message and its own join event. Empty for a node started in a known cluster.
     */
    public List<Effect> startEffects() {
        return startEffects;
    }
}
