package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Keyring;
import io.murmur.serf.KeyCommands.KeyResponse;
import io.murmur.serf.KeyCommands.Op;
import io.murmur.store.KeyringFile;
import io.murmur.store.MemoryFileSystem;
import io.murmur.transport.memory.MemoryNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Serf's key rotation (install, use, remove, list) as cluster-wide internal queries, on a cluster whose packets and
 * push/pulls are encrypted with the keyring being rotated, under 10 % loss: no member fails along the way.
 */
class SerfKeysTest {

    static final ActorTestKit kit = ActorTestKit.create("serf-keys");

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    static byte[] key(int b) {
        byte[] k = new byte[16];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }

    @Test
    void aClusterRotatesItsKeyAndEveryMemberPersistsIt() throws Exception {
        long seed = Long.getLong("murmur.test.seed", new Random().nextLong());
        System.out.println("SerfKeysTest seed=" + seed);
        MemoryFileSystem fs = new MemoryFileSystem();
        Map<String, Keyring> keyrings = new HashMap<>();
        int n = 10;
        try (MemoryNetwork net = new MemoryNetwork(seed);
                SerfTestCluster c = new SerfTestCluster(kit, net, seed, name -> SerfConfig.defaults())) {
            net.loss(0.10);
            for (int i = 0; i < n; i++) {
                String name = "s" + i;
                Keyring keyring = Keyring.of(List.of(key(1)));
                keyrings.put(name, keyring);
                c.start(
                        name,
                        SerfTestCluster.addressOf(i),
                        Map.of(),
                        s -> s.withKeyring(keyring, Path.of("/keys/" + name + ".keyring"))
                                .withSnapshot(null, fs));
            }
            c.joinAllThroughFirst();
            c.awaitAlive(c.all(), n, Duration.ofSeconds(30));

            KeyResponse installed = run(c, Op.INSTALL, key(2));
            assertTrue(installed.ok(), installed.toString());
            assertEquals(n, installed.numResp());
            assertEquals(n, run(c, Op.USE, key(2)).numResp());
            KeyResponse removePrimary = run(c, Op.REMOVE, key(2));
            assertFalse(removePrimary.ok(), "the primary key cannot be removed");
            assertEquals(n, removePrimary.numErr());
            assertTrue(run(c, Op.REMOVE, key(1)).ok());
            KeyResponse listed = run(c, Op.LIST, null);
            assertTrue(listed.ok(), listed.toString());
            String k2 = Keyring.encodeKey(key(2));
            assertEquals(Map.of(k2, n), listed.keys());
            assertEquals(Map.of(k2, n), listed.primaryKeys());
            for (SerfTestCluster.Member m : c.all()) {
                assertTrue(m.memberEvents(SerfEvent.Type.MEMBER_FAILED).isEmpty(), m.name() + " saw a failure");
            }
            for (int i = 0; i < n; i++) {
                Keyring persisted = KeyringFile.read(fs, Path.of("/keys/s" + i + ".keyring"));
                assertEquals(
                        List.of(k2),
                        persisted.keys().stream().map(Keyring::encodeKey).toList());
                assertEquals(k2, Keyring.encodeKey(keyrings.get("s" + i).primary()));
            }
        }
    }

    private static KeyResponse run(SerfTestCluster c, Op op, byte[] key) {
        TestProbe<KeyResponse> probe = kit.createTestProbe();
        c.all().get(2).serf().tell(new Serf.KeyOperation(op, key, probe.getRef()));
        return probe.receiveMessage(Duration.ofSeconds(15));
    }
}
