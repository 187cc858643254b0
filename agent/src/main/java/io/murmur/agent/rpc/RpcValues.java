package io.murmur.agent.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.value.Value;

/**
 * Reads request bodies as go-msgpack's decoder does: a struct is a map keyed by field name (unknown keys ignored, a
 * missing or nil field is the zero value), a string or a byte slice may come as {@code str} or {@code bin}, an integer
 * in any of the integer families. Murmur's own CLI reads replies with it too.
 */
public final class RpcValues {

    /** A body that is not what the command takes: the session closes the connection, as Serf's agent does. */
    public static final class Malformed extends Exception {
        Malformed(String problem) {
            super(problem, null, false, false);
        }
    }

    private final Map<String, Value> fields;

    private RpcValues(Map<String, Value> fields) {
        this.fields = fields;
    }

    /** The fields of a struct; nil is the empty struct. */
    public static RpcValues of(Value v) throws Malformed {
        Map<String, Value> fields = new HashMap<>();
        if (v.isNilValue()) {
            return new RpcValues(fields);
        }
        if (!v.isMapValue()) {
            throw new Malformed("expected a map, got " + v.getValueType());
        }
        for (Map.Entry<Value, Value> e : v.asMapValue().entrySet()) {
            fields.put(text(e.getKey()), e.getValue());
        }
        return new RpcValues(fields);
    }

    public String string(String name) throws Malformed {
        Value v = fields.get(name);
        return v == null || v.isNilValue() ? "" : text(v);
    }

    public byte[] bytes(String name) throws Malformed {
        Value v = fields.get(name);
        if (v == null || v.isNilValue()) {
            return new byte[0];
        }
        if (v.isRawValue()) {
            return v.asRawValue().asByteArray();
        }
        throw new Malformed(name + ": expected bytes, got " + v.getValueType());
    }

    public long integer(String name) throws Malformed {
        Value v = fields.get(name);
        if (v == null || v.isNilValue()) {
            return 0;
        }
        if (v.isIntegerValue()) {
            return v.asIntegerValue().toLong();
        }
        throw new Malformed(name + ": expected an integer, got " + v.getValueType());
    }

    public boolean bool(String name) throws Malformed {
        Value v = fields.get(name);
        if (v == null || v.isNilValue()) {
            return false;
        }
        if (v.isBooleanValue()) {
            return v.asBooleanValue().getBoolean();
        }
        throw new Malformed(name + ": expected a bool, got " + v.getValueType());
    }

    /** A {@code map[string]string}, in the client's order. */
    public Map<String, String> stringMap(String name) throws Malformed {
        Value v = fields.get(name);
        Map<String, String> map = new LinkedHashMap<>();
        if (v == null || v.isNilValue()) {
            return map;
        }
        if (!v.isMapValue()) {
            throw new Malformed(name + ": expected a map, got " + v.getValueType());
        }
        for (Map.Entry<Value, Value> e : v.asMapValue().entrySet()) {
            map.put(text(e.getKey()), e.getValue().isNilValue() ? "" : text(e.getValue()));
        }
        return map;
    }

    public List<String> stringList(String name) throws Malformed {
        Value v = fields.get(name);
        List<String> list = new ArrayList<>();
        if (v == null || v.isNilValue()) {
            return list;
        }
        if (!v.isArrayValue()) {
            throw new Malformed(name + ": expected an array, got " + v.getValueType());
        }
        for (Value item : v.asArrayValue()) {
            list.add(text(item));
        }
        return list;
    }

    /** A field as it came (nil when absent), for what the typed getters do not cover: arrays of structs, nested maps. */
    public Value value(String name) {
        Value v = fields.get(name);
        return v == null ? org.msgpack.value.ValueFactory.newNil() : v;
    }

    /** A string in either family ({@code str} or {@code bin}). */
    public static String text(Value v) throws Malformed {
        if (v.isStringValue()) {
            return v.asStringValue().asString();
        }
        if (v.isBinaryValue()) {
            return new String(v.asBinaryValue().asByteArray(), StandardCharsets.UTF_8);
        }
        throw new Malformed("expected a string, got " + v.getValueType());
    }
}
