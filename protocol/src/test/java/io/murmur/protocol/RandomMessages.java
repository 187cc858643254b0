package io.murmur.protocol;

import io.murmur.protocol.Message.Ack;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Compound;
import io.murmur.protocol.Message.Dead;
import io.murmur.protocol.Message.IndirectPing;
import io.murmur.protocol.Message.Nack;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.Message.PushNodeState;
import io.murmur.protocol.Message.PushPull;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.Message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random valid messages, from a {@link SplittableRandom} the caller seeds. Values lean towards the edges: names and
 * hosts of 1 and 255 UTF-8 bytes, 1- to 4-byte characters, incarnations 0 and 2^32-1, meta of 0 and 512 bytes, ports 0
 * and 65535.
 */
final class RandomMessages {

    /** Code points of 1, 2, 3 and 4 UTF-8 bytes, and a few that are awkward in other ways. */
    private static final int[] CODE_POINTS = {
        'a', 'z', '0', '-', '.', ':', ' ', 0x7F, 0, 'é', 'ß', 0x7FF, 'ж', 0x800, '€', '名', 0xFFFD, 0xFEFF, 0xFFFF,
        0x10000, 0x1F600, 0x10FFFF
    };

    private final SplittableRandom random;

    RandomMessages(SplittableRandom random) {
        this.random = random;
    }

    Message any() {
        return random.nextInt(10) == 0 ? compound() : nonCompound();
    }

    Message nonCompound() {
        return switch (random.nextInt(9)) {
            case 0 -> new Ping(random.nextInt(), name(), name(), address());
            case 1 -> new IndirectPing(random.nextInt(), name(), address(), random.nextBoolean(), name(), address());
            case 2 -> new Ack(random.nextInt(), bytes(2048));
            case 3 -> new Nack(random.nextInt());
            case 4 -> new Alive(incarnation(), nodeInfo());
            case 5 -> new Suspect(incarnation(), name(), name());
            case 6 -> new Dead(incarnation(), name(), name());
            case 7 -> pushPull();
            default -> new UserMessage(bytes(2048));
        };
    }

    Compound compound() {
        int count = 2 + random.nextInt(12);
        List<Message> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parts.add(nonCompound());
        }
        return new Compound(parts);
    }

    PushPull pushPull() {
        int rows = random.nextInt(4) == 0 ? 0 : random.nextInt(24);
        List<PushNodeState> nodes = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            nodes.add(new PushNodeState(nodeInfo(), incarnation(), NodeState.values()[random.nextInt(4)]));
        }
        return new PushPull(random.nextBoolean(), nodes, bytes(4096));
    }

    NodeInfo nodeInfo() {
        Bytes meta = switch (random.nextInt(4)) {
            case 0 -> Bytes.EMPTY;
            case 1 -> bytesOf(NodeInfo.MAX_META_BYTES);
            default -> bytesOf(random.nextInt(NodeInfo.MAX_META_BYTES + 1));
        };
        return new NodeInfo(name(), address(), meta, versions());
    }

    Versions versions() {
        return random.nextBoolean()
                ? Versions.CURRENT
                : new Versions(
                        random.nextInt(256),
                        random.nextInt(256),
                        random.nextInt(256),
                        random.nextInt(256),
                        random.nextInt(256),
                        random.nextInt(256));
    }

    Address address() {
        int port = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 0xFFFF;
            default -> random.nextInt(0x10000);
        };
        String host = switch (random.nextInt(4)) {
            case 0 ->
                random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            case 1 -> "fe80::" + Integer.toHexString(random.nextInt(0x10000)) + ":1";
            default -> text(Address.MAX_HOST_BYTES);
        };
        return new Address(host, port);
    }

    String name() {
        return text(NodeInfo.MAX_NAME_BYTES);
    }

    /** A non-empty string of at most {@code maxBytes} UTF-8 bytes, sometimes filled to the last byte. */
    String text(int maxBytes) {
        int target = switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> maxBytes;
            default -> 1 + random.nextInt(Math.min(maxBytes, 40));
        };
        StringBuilder s = new StringBuilder();
        int bytes = 0;
        while (bytes < target) {
            int cp = random.nextInt(3) == 0 ? CODE_POINTS[random.nextInt(CODE_POINTS.length)] : randomCodePoint();
            int n = Character.toString(cp).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + n > target) {
                cp = 'x';
                n = 1;
            }
            s.appendCodePoint(cp);
            bytes += n;
        }
        return s.toString();
    }

    private int randomCodePoint() {
        while (true) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 2 -> 0x800 + random.nextInt(0x10000 - 0x800);
                default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            };
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                return cp;
            }
        }
    }

    long incarnation() {
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> Message.MAX_INCARNATION;
            case 2 -> random.nextLong(128);
            default -> random.nextLong(Message.MAX_INCARNATION + 1);
        };
    }

    Bytes bytes(int max) {
        return random.nextInt(4) == 0 ? Bytes.EMPTY : bytesOf(random.nextInt(max + 1));
    }

    private Bytes bytesOf(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return Bytes.of(b);
    }
}
