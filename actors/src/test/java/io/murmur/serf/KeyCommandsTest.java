package io.murmur.serf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.protocol.Keyring;
import io.murmur.serf.KeyCommands.KeyResponse;
import io.murmur.serf.KeyCommands.NodeKeyResponse;
import io.murmur.serf.KeyCommands.Op;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyCommandsTest {

    static byte[] key(int length, int fill) {
        byte[] k = new byte[length];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    final byte[] a = key(16, 1);
    final byte[] b = key(32, 2);
    final Keyring ring = Keyring.of(List.of(a));

    NodeKeyResponse run(Op op, byte[] key) {
        return KeyCommands.apply(ring, op, KeyCommands.encodeRequest(op, key));
    }

    @Test
    void opsAreNamedAsSerfsInternalQueries() {
        assertEquals("_serf_install-key", Op.INSTALL.queryName());
        assertEquals("_serf_use-key", Op.USE.queryName());
        assertEquals("_serf_remove-key", Op.REMOVE.queryName());
        assertEquals("_serf_list-keys", Op.LIST.queryName());
        for (Op op : Op.values()) {
            assertEquals(Optional.of(op), Op.fromQueryName(op.queryName()));
        }
        assertEquals(Optional.empty(), Op.fromQueryName("install-key"));
        assertEquals(Optional.empty(), Op.fromQueryName("_serf_ping"));
        assertFalse(Op.LIST.changesKeyring());
        assertTrue(Op.REMOVE.changesKeyring());
    }

    @Test
    void installUseAndRemoveChangeTheLocalKeyring() {
        assertEquals(NodeKeyResponse.success(), run(Op.INSTALL, b));
        assertTrue(ring.contains(b));
        assertEquals(NodeKeyResponse.success(), run(Op.INSTALL, b), "installing again is a no-op success");
        assertEquals(NodeKeyResponse.success(), run(Op.USE, b));
        assertArrayEquals(b, ring.primary());
        assertEquals(NodeKeyResponse.success(), run(Op.REMOVE, a));
        assertFalse(ring.contains(a));
        assertEquals(NodeKeyResponse.success(), run(Op.REMOVE, a), "removing an unknown key is a no-op success");
    }

    @Test
    void listKeysAnswersEveryKeyPrimaryFirst() {
        ring.install(b);
        NodeKeyResponse r = run(Op.LIST, null);
        assertTrue(r.result());
        assertEquals(List.of(Keyring.encodeKey(a), Keyring.encodeKey(b)), r.keys());
        assertEquals(Keyring.encodeKey(a), r.primaryKey());
    }

    @Test
    void errorsAreFailedResponsesNotExceptions() {
        NodeKeyResponse removePrimary = run(Op.REMOVE, a);
        assertFalse(removePrimary.result());
        assertTrue(removePrimary.message().contains("primary"), removePrimary.message());
        NodeKeyResponse useUnknown = run(Op.USE, b);
        assertFalse(useUnknown.result());
        assertTrue(useUnknown.message().contains("not installed"), useUnknown.message());
        NodeKeyResponse badLength = run(Op.INSTALL, new byte[20]);
        assertFalse(badLength.result());
        assertTrue(badLength.message().contains("16, 24 or 32 bytes"), badLength.message());
        NodeKeyResponse malformed = KeyCommands.apply(ring, Op.INSTALL, new byte[] {9, 9});
        assertEquals(NodeKeyResponse.failure("malformed install-key request"), malformed);
        assertFalse(KeyCommands.apply(null, Op.LIST, KeyCommands.encodeRequest(Op.LIST, null))
                .result());
        assertEquals(1, ring.size(), "nothing changed");
        assertArrayEquals(a, ring.primary());
    }

    @Test
    void requestsRoundTripAndListKeysTakesNoKey() {
        assertArrayEquals(
                b,
                KeyCommands.decodeRequest(KeyCommands.encodeRequest(Op.INSTALL, b))
                        .orElseThrow());
        assertArrayEquals(
                new byte[0],
                KeyCommands.decodeRequest(KeyCommands.encodeRequest(Op.LIST, null))
                        .orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> KeyCommands.encodeRequest(Op.LIST, a));
    }

    @Test
    void responsesRoundTrip() {
        List<NodeKeyResponse> samples = List.of(
                NodeKeyResponse.success(),
                NodeKeyResponse.failure("the primary key cannot be removed — ünïcödé 🔑"),
                new NodeKeyResponse(true, "", List.of("a2V5MQ==", "a2V5Mg=="), "a2V5MQ=="));
        for (NodeKeyResponse r : samples) {
            assertEquals(Optional.of(r), KeyCommands.decodeResponse(KeyCommands.encodeResponse(r)));
        }
    }

    @Test
    void garbageNeverDecodesAndNeverThrows() {
        byte[] good = KeyCommands.encodeResponse(new NodeKeyResponse(true, "note", List.of("k1", "k2"), "k1"));
        byte[][] bad = {
            null,
            {},
            {2},
            {1},
            {1, 2, 0, 0, 0},
            {1, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
            {1, 0, 1, (byte) 0xC3, 0, 0},
            Arrays.copyOf(good, good.length + 1)
        };
        for (byte[] payload : bad) {
            assertEquals(Optional.empty(), KeyCommands.decodeResponse(payload), Arrays.toString(payload));
        }
        for (int cut = 0; cut < good.length; cut++) {
            assertEquals(Optional.empty(), KeyCommands.decodeResponse(Arrays.copyOf(good, cut)), "cut at " + cut);
        }
        SplittableRandom random = new SplittableRandom(20_240_611); // fixed seed: a failure replays exactly
        for (int i = 0; i < 20_000; i++) {
            byte[] noise = new byte[random.nextInt(40)];
            random.nextBytes(noise);
            if (noise.length > 0 && random.nextBoolean()) {
                noise[0] = 1; // get past the version byte
            }
            KeyCommands.decodeResponse(noise); // must not throw
            KeyCommands.decodeRequest(noise);
            KeyCommands.apply(ring, Op.values()[random.nextInt(4)], noise);
        }
        assertEquals(Optional.empty(), KeyCommands.decodeRequest(new byte[] {1, 5, 1, 2}));
    }

    @Test
    void aLongKeyListIsTruncatedUnderTheLimitAndSaysSo() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(key(32, i)); // 44 base64 characters each, 4.5 KB in all
        }
        NodeKeyResponse full = KeyCommands.apply(Keyring.of(keys), Op.LIST, KeyCommands.encodeRequest(Op.LIST, null));
        assertEquals(100, full.keys().size());
        byte[] encoded = KeyCommands.encodeResponse(full);
        assertTrue(encoded.length <= KeyCommands.RESPONSE_SIZE_LIMIT, encoded.length + " bytes");
        NodeKeyResponse read = KeyCommands.decodeResponse(encoded).orElseThrow();
        int shown = read.keys().size();
        assertTrue(shown > 15 && shown < 100, shown + " keys");
        assertEquals(full.keys().subList(0, shown), read.keys());
        assertEquals(full.primaryKey(), read.primaryKey());
        assertTrue(read.result());
        assertTrue(read.message().contains("truncated") && read.message().contains(shown + " of 100"), read.message());
        // one key more would not have fitted
        NodeKeyResponse oneMore =
                new NodeKeyResponse(true, read.message(), full.keys().subList(0, shown + 1), full.primaryKey());
        assertTrue(KeyCommands.encodeResponse(oneMore, Integer.MAX_VALUE).length > KeyCommands.RESPONSE_SIZE_LIMIT);
    }

    @Test
    void everyResponseFitsAnyAllowedLimit() {
        String longMessage = "é🔑".repeat(600);
        NodeKeyResponse failure = NodeKeyResponse.failure(longMessage);
        NodeKeyResponse list = new NodeKeyResponse(true, "", List.of("x".repeat(44), "y".repeat(44)), "x".repeat(44));
        for (int limit = KeyCommands.MIN_RESPONSE_SIZE_LIMIT; limit <= 2048; limit += 7) {
            for (NodeKeyResponse r : List.of(failure, list)) {
                byte[] encoded = KeyCommands.encodeResponse(r, limit);
                assertTrue(encoded.length <= limit, limit + ": " + encoded.length);
                NodeKeyResponse read = KeyCommands.decodeResponse(encoded).orElseThrow();
                assertEquals(r.result(), read.result());
                assertTrue(
                        r.message().startsWith(read.message()) || read.message().contains("truncated"));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> KeyCommands.encodeResponse(failure, 63));
    }

    @Test
    void aggregationCountsAnswersFailuresKeysAndPrimaries() {
        String ka = Keyring.encodeKey(a);
        String kb = Keyring.encodeKey(b);
        Map<String, NodeKeyResponse> responses = Map.of(
                "n1", new NodeKeyResponse(true, "", List.of(ka, kb), ka),
                "n2", new NodeKeyResponse(true, "", List.of(kb, ka), kb),
                "n3", new NodeKeyResponse(true, "", List.of(ka), ka),
                "n4", NodeKeyResponse.failure("no keyring"));
        KeyResponse r = KeyResponse.aggregate(5, responses);
        assertEquals(5, r.numNodes());
        assertEquals(4, r.numResp());
        assertEquals(1, r.numErr());
        assertEquals(Map.of("n4", "no keyring"), r.messages());
        assertEquals(Map.of(ka, 3, kb, 2), r.keys());
        assertEquals(Map.of(ka, 2, kb, 1), r.primaryKeys());
        assertFalse(r.ok());
    }

    @Test
    void okNeedsEveryNodeToAnswerWithoutError() {
        Map<String, NodeKeyResponse> two = Map.of("n1", NodeKeyResponse.success(), "n2", NodeKeyResponse.success());
        assertTrue(KeyResponse.aggregate(2, two).ok());
        assertFalse(KeyResponse.aggregate(3, two).ok(), "a silent node fails the operation");
        KeyResponse noted =
                KeyResponse.aggregate(1, Map.of("n1", new NodeKeyResponse(true, "truncated", List.of("k"), "k")));
        assertTrue(noted.ok(), "a note from a successful node is not an error");
        assertEquals(Map.of("n1", "truncated"), noted.messages());
        assertEquals(0, KeyResponse.aggregate(0, Map.of()).numResp());
    }

    @Test
    void messagesTravelAsUtf8() {
        byte[] encoded = KeyCommands.encodeResponse(NodeKeyResponse.failure("é"));
        assertEquals(new String(new byte[] {encoded[3], encoded[4]}, StandardCharsets.UTF_8), "é");
    }
}
