package io.murmur.protocol;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A member's tags as carried in its membership metadata: {@code [0xFF][count][key, value]...}, keys sorted, strings as
 * length-prefixed UTF-8 (Serf also marks encoded tags with a leading {@code 0xFF}). The whole encoding must fit the
 * {@value NodeInfo#MAX_META_BYTES}-byte meta limit.
 */
public final class Tags {
    private Tags() {}

    public static final int MAGIC = 0xFF;

    /** The encoded tags; an empty map encodes to no bytes at all. */
    public static Bytes encode(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return Bytes.EMPTY;
        }
        Output out = new Output(64, NodeInfo.MAX_META_BYTES);
        try {
            out.writeByte(MAGIC);
            out.writeVarInt(tags.size(), true);
            for (Map.Entry<String, String> e : new TreeMap<>(tags).entrySet()) {
                Fields.writeString(out, e.getKey());
                Fields.writeString(out, e.getValue());
            }
        } catch (KryoException e) {
            throw new IllegalArgumentException(
                    "tags take more than the " + NodeInfo.MAX_META_BYTES + " bytes of node metadata");
        }
        return Bytes.wrap(out.toBytes());
    }

    /** The tags in {@code meta}; empty for no bytes, absent for metadata that is not well-formed tags. */
    public static Optional<SortedMap<String, String>> decode(Bytes meta) {
        byte[] b = meta.unsafeArray();
        if (b.length == 0) {
            return Optional.of(Collections.emptySortedMap());
        }
        if ((b[0] & 0xFF) != MAGIC) {
            return Optional.empty();
        }
        try {
            Input in = new Input(b, 1, b.length - 1);
            int n = Fields.readLength(in, NodeInfo.MAX_META_BYTES, "tags.count");
            TreeMap<String, String> tags = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String key = Fields.readString(in, NodeInfo.MAX_META_BYTES, "tag.key");
                if (tags.put(key, Fields.readString(in, NodeInfo.MAX_META_BYTES, "tag.value")) != null) {
                    return Optional.empty();
                }
            }
            return in.position() == in.limit()
                    ? Optional.of(Collections.unmodifiableSortedMap(tags))
                    : Optional.empty();
        } catch (DecodeFailure | KryoException e) {
            return Optional.empty();
        }
    }
}
