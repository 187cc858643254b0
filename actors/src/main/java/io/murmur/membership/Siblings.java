package io.murmur.membership;

import org.apache.pekko.actor.typed.ActorRef;

/** The actors of one node, handed to each of them once all are spawned (they refer to each other). */
record Siblings(
        ActorRef<MemberTableActor.Command> table,
        ActorRef<ProberActor.Command> prober,
        ActorRef<GossiperActor.Command> gossiper,
        ActorRef<SyncerActor.Command> syncer) {

    /** Passes a member-table change on to every actor that follows the table. */
    void changed(Effect.Changed change) {
        prober.tell(new ProberActor.Changed(change));
        gossiper.tell(new GossiperActor.Changed(change));
        syncer.tell(new SyncerActor.Changed(change));
    }
}
