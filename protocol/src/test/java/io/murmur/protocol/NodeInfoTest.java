package io.murmur.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Ping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeInfoTest {

    private static final Address ADDRESS = new Address("10.0.0.1", 7946);

    @Test
    void metaOf512BytesIsAcceptedAnd513IsRejected() {
        NodeInfo node = new NodeInfo("n1", ADDRESS, Bytes.of(new byte[NodeInfo.MAX_META_BYTES]), Versions.CURRENT);
        assertEquals(512, node.meta().size());
        assertThrows(IllegalArgumentException.class, () -> node.withMeta(Bytes.of(new byte[513])));
        assertThrows(
                IllegalArgumentException.class,
                () -> new NodeInfo("n1", ADDRESS, Bytes.of(new byte[513]), Versions.CURRENT));
    }

    @Test
    void nodeWithFullMetaSurvivesTheWire() {
        Codec codec = new Codec();
        Alive alive = new Alive(1, new NodeInfo("n1", ADDRESS).withMeta(Bytes.of(new byte[512])));
        assertEquals(new Decoded.Ok(alive), codec.decodePacket(codec.frame(alive)));
    }

    @Test
    void nameOf255Utf8BytesIsAcceptedAnd256IsRejected() {
        assertEquals("n".repeat(255), NodeInfo.checkName("n".repeat(255)));
        assertEquals(255, Utf8.length(new NodeInfo("é".repeat(127) + "n", ADDRESS).name()));
        assertEquals(255, Utf8.length(new NodeInfo("名".repeat(85), ADDRESS).name()));
        assertEquals(255, Utf8.length(new NodeInfo("\uD83D\uDE00".repeat(63) + "abc", ADDRESS).name()));

        assertThrows(IllegalArgumentException.class, () -> NodeInfo.checkName("n".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> NodeInfo.checkName("é".repeat(128)));
        assertThrows(IllegalArgumentException.class, () -> NodeInfo.checkName("\uD83D\uDE00".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> new NodeInfo("名".repeat(86), ADDRESS));
    }

    @Test
    void emptyOrMissingNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NodeInfo("", ADDRESS));
        assertThrows(NullPointerException.class, () -> new NodeInfo(null, ADDRESS));
        assertThrows(IllegalArgumentException.class, () -> new Ping(1, "", "n1", ADDRESS));
        assertThrows(IllegalArgumentException.class, () -> new Message.Suspect(1, "n2", ""));
    }

    /** Java would encode the lone surrogate as '?': two such names would meet on the wire as one. */
    @ParameterizedTest
    @ValueSource(strings = {"n\uD800", "\uDC00", "n\uDE00\uD83D", "\uD83D"})
    void nameWithAnUnpairedSurrogateIsRejected(String name) {
        assertThrows(IllegalArgumentException.class, () -> NodeInfo.checkName(name));
        assertThrows(IllegalArgumentException.class, () -> new Message.Dead(1, name, "n1"));
    }

    @Test
    void missingPartsAreRejected() {
        assertThrows(NullPointerException.class, () -> new NodeInfo("n", null, Bytes.EMPTY, Versions.CURRENT));
        assertThrows(NullPointerException.class, () -> new NodeInfo("n", ADDRESS, null, Versions.CURRENT));
        assertThrows(NullPointerException.class, () -> new NodeInfo("n", ADDRESS, Bytes.EMPTY, null));
    }

    @Test
    void versionsOutsideAnUnsignedByteAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Versions(256, 1, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Versions(1, 1, 1, 0, 0, -1));
        assertEquals(255, new Versions(255, 255, 255, 255, 255, 255).protocolMin());
    }

    @Test
    void incarnationOutsideUnsigned32BitsIsRejected() {
        NodeInfo node = new NodeInfo("n1", ADDRESS);
        assertEquals(Message.MAX_INCARNATION, new Alive(Message.MAX_INCARNATION, node).incarnation());
        assertThrows(IllegalArgumentException.class, () -> new Alive(Message.MAX_INCARNATION + 1, node));
        assertThrows(IllegalArgumentException.class, () -> new Alive(-1, node));
    }
}
