package io.murmur.serf;

import io.murmur.protocol.Bytes;
import io.murmur.protocol.Keyring;
import io.murmur.serf.KeyCommands.KeyResponse;
import io.murmur.serf.KeyCommands.NodeKeyResponse;
import io.murmur.serf.KeyCommands.Op;
import io.murmur.store.FileSystem;
import io.murmur.store.KeyringFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * Serf's key manager, both ends. As the asker: a key operation runs as the internal query {@code _serf_<op>} to every
 * member, and the per-node answers are aggregated into one {@link KeyResponse}. As a member: the operation is applied
 * to this node's keyring and, when it changed the keyring, the keyring file is rewritten before the answer goes out
 * (an answer of success means the change survives a restart).
 */
final class KeyManager extends AbstractBehavior<KeyManager.Command> {

    sealed interface Command {}

    /** Run {@code op} across the cluster ({@code key} is null for list). */
    record Run(Op op, byte[] key, ActorRef<KeyResponse> replyTo) implements Command {}

    /** A member's part: apply the operation in {@code query} here and answer it. */
    record Apply(SerfEvent.Query query, Op op) implements Command {}

    private record Reply(Collecting collecting, QueryReply reply) implements Command {}

    private static final class Collecting {
        final ActorRef<KeyResponse> replyTo;
        final Map<String, NodeKeyResponse> responses = new HashMap<>();

        Collecting(ActorRef<KeyResponse> replyTo) {
            this.replyTo = replyTo;
        }
    }

    /**
     * @param keyring this node's keyring, null when it does not encrypt
     * @param keyringPath where the keyring is kept, null for nowhere
     */
    static Behavior<Command> create(ActorRef<Serf.Command> serf, Keyring keyring, FileSystem fs, Path keyringPath) {
        return Behaviors.setup(ctx -> new KeyManager(ctx, serf, keyring, fs, keyringPath));
    }

    private final ActorRef<Serf.Command> serf;
    private final Keyring keyring;
    private final FileSystem fs;
    private final Path keyringPath;

    private KeyManager(
            ActorContext<Command> ctx, ActorRef<Serf.Command> serf, Keyring keyring, FileSystem fs, Path keyringPath) {
        super(ctx);
        this.serf = serf;
        this.keyring = keyring;
        this.fs = fs;
        this.keyringPath = keyringPath;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Run.class, this::onRun)
                .onMessage(Reply.class, this::onReply)
                .onMessage(Apply.class, this::onApply)
                .build();
    }

    private Behavior<Command> onRun(Run run) {
        byte[] request;
        try {
            request = KeyCommands.encodeRequest(run.op(), run.key());
        } catch (IllegalArgumentException e) {
            run.replyTo().tell(KeyResponse.aggregate(0, Map.of("", NodeKeyResponse.failure(e.getMessage()))));
            return this;
        }
        Collecting collecting = new Collecting(run.replyTo());
        ActorRef<QueryReply> replies = getContext().messageAdapter(QueryReply.class, r -> new Reply(collecting, r));
        serf.tell(new Serf.Query(run.op().queryName(), Bytes.of(request), QueryParams.all(), replies));
        return this;
    }

    private Behavior<Command> onReply(Reply m) {
        Collecting c = m.collecting();
        if (m.reply() instanceof QueryReply.Response r) {
            c.responses.put(
                    r.from(),
                    KeyCommands.decodeResponse(r.payload().toArray())
                            .orElse(NodeKeyResponse.failure("malformed key response")));
        } else if (m.reply() instanceof QueryReply.Done d) {
            c.replyTo.tell(KeyResponse.aggregate(d.expected(), c.responses));
        } else if (m.reply() instanceof QueryReply.Rejected r) {
            c.replyTo.tell(KeyResponse.aggregate(0, Map.of("", NodeKeyResponse.failure(r.reason()))));
        }
        return this;
    }

    private Behavior<Command> onApply(Apply m) {
        NodeKeyResponse response =
                KeyCommands.apply(keyring, m.op(), m.query().payload().toArray());
        if (response.result() && m.op().changesKeyring() && keyringPath != null) {
            try {
                KeyringFile.write(fs, keyringPath, keyring);
            } catch (IOException e) {
                getContext().getLog().warn("writing the keyring file {} failed", keyringPath, e);
                response = NodeKeyResponse.failure("the keyring changed but writing " + keyringPath + " failed: " + e);
            }
        }
        ActorRef<StatusReply<Done>> ignore = getContext().getSystem().ignoreRef();
        serf.tell(new Serf.Respond(m.query(), Bytes.of(KeyCommands.encodeResponse(response)), ignore));
        return this;
    }
}
