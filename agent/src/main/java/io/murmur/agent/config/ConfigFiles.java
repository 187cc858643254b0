package io.murmur.agent.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.murmur.membership.MembershipConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads {@code -config-file} and {@code -config-dir} paths as Serf does: in the order given, a directory standing for
 * its {@code *.json}, {@code *.conf} and {@code *.hocon} files in lexical order, each file over the ones before it
 * ({@link AgentConfig#merge}). Files are JSON or HOCON; keys are Serf's ({@link ConfigKeys}).
 */
public final class ConfigFiles {

    private ConfigFiles() {}

    /**
     * @throws IllegalArgumentException naming the file (and the key) when a file cannot be read, does not parse, has
     *     a key Murmur does not know or a value of the wrong kind
     */
    public static AgentConfig load(List<Path> paths) {
        AgentConfig config = AgentConfig.empty();
        for (Path path : paths) {
            for (Path file : files(path)) {
                config = config.merge(read(file));
            }
        }
        return config;
    }

    private static List<Path> files(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".json") || name.endsWith(".conf") || name.endsWith(".hocon");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list the config directory " + path + ": " + e.getMessage());
        }
    }

    /** One file's settings. */
    static AgentConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file " + file + " does not exist or is not a file");
        }
        Config parsed;
        try {
            ConfigSyntax syntax = file.toString().endsWith(".json") ? ConfigSyntax.JSON : ConfigSyntax.CONF;
            parsed = ConfigFactory.parseFile(
                            file.toFile(),
                            ConfigParseOptions.defaults().setSyntax(syntax).setAllowMissing(false))
                    .resolve();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("config file " + file + " does not parse: " + e.getMessage());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : parsed.root().entrySet()) {
            String key = entry.getKey();
            ConfigKeys.Kind kind = ConfigKeys.SUPPORTED.get(key);
            if (kind == null) {
                throw new IllegalArgumentException("config file " + file + ": "
                        + (ConfigKeys.SERF_ONLY.contains(key)
                                ? "'" + key + "' is a Serf setting Murmur does not support"
                                : "unknown key '" + key + "'"));
            }
            try {
                values.put(key, value(entry.getValue(), kind, parsed, key));
            } catch (ConfigException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "config file " + file + ": bad value for '" + key + "': " + e.getMessage());
            }
        }
        return new AgentConfig(values);
    }

    private static Object value(ConfigValue value, ConfigKeys.Kind kind, Config parsed, String key) {
        String quoted = com.typesafe.config.ConfigUtil.quoteString(key);
        return switch (kind) {
            case STRING -> parsed.getString(quoted);
            case PATH -> Path.of(parsed.getString(quoted));
            case BOOLEAN -> parsed.getBoolean(quoted);
            case INT -> parsed.getInt(quoted);
            case DURATION -> duration(key, parsed.getString(quoted));
            case LIST -> List.copyOf(parsed.getStringList(quoted));
            case MAP -> tags(value);
            case MDNS -> mdns(parsed.getConfig(quoted));
        };
    }

    /** The {@code mdns} object's keys, each of its own kind; merged key by key like tags. */
    private static Map<String, Object> mdns(Config mdns) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : mdns.root().keySet()) {
            String quoted = com.typesafe.config.ConfigUtil.quoteString(key);
            switch (key) {
                case "interface" -> values.put(key, mdns.getString(quoted));
                case "disable_ipv4", "disable_ipv6" -> values.put(key, mdns.getBoolean(quoted));
                default ->
                    throw new IllegalArgumentException(
                            "unknown key '" + key + "' (interface, disable_ipv4, disable_ipv6)");
            }
        }
        return Map.copyOf(values);
    }

    private static Duration duration(String key, String text) {
        Duration d = MembershipConfig.parseDuration(text);
        if (key.equals("retry_interval") && d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("retry_interval must be at least 1s, got " + text);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be positive, got " + text);
        }
        return d;
    }

    private static Map<String, String> tags(ConfigValue value) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw new IllegalArgumentException("tags must be an object of strings");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        ((com.typesafe.config.ConfigObject) value).forEach((k, v) -> {
            if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
                throw new IllegalArgumentException("tag '" + k + "' is not a string");
            }
            tags.put(k, String.valueOf(v.unwrapped()));
        });
        return Map.copyOf(tags);
    }
}
