package io.murmur.agent.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/** Serf's {@code -tags-file}: the node's tags as a JSON object, read at start and rewritten when they change. */
public final class TagsFile {

    private TagsFile() {}

    /** The tags in {@code file}. */
    public static Map<String, String> read(Path file) throws IOException {
        try {
            var root = ConfigFactory.parseString(
                            Files.readString(file, StandardCharsets.UTF_8),
                            ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON))
                    .root();
            Map<String, String> tags = new TreeMap<>();
            root.forEach((k, v) -> tags.put(k, String.valueOf(v.unwrapped())));
            return tags;
        } catch (ConfigException e) {
            throw new IOException("tags file " + file + " is not a JSON object of strings: " + e.getMessage(), e);
        }
    }

    /** Replaces {@code file} with {@code tags}, atomically (a temporary file renamed over it). */
    public static void write(Path file, Map<String, String> tags) throws IOException {
        String json =
                ConfigValueFactory.fromMap(new TreeMap<String, Object>(tags)).render(ConfigRenderOptions.concise());
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
