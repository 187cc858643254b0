package io.murmur.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.murmur.serf.SerfConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void jsonAndHoconFilesReadSerfsKeys() throws IOException {
        Path json = write("a.json", """
                {"node_name": "web-1", "bind": "10.0.0.5:7946", "tags": {"role": "web", "a.b": "c"},
                 "start_join": ["10.0.0.1"], "retry_interval": "5s", "retry_max_attempts": 3,
                 "rejoin_after_leave": true, "query_response_size_limit": 2048, "tombstone_timeout": "1h"}
                """);
        AgentConfig c = ConfigFiles.load(List.of(json));
        assertEquals("web-1", c.nodeName());
        assertEquals("10.0.0.5:7946", c.bind());
        assertEquals(Map.of("role", "web", "a.b", "c"), c.tags());
        assertEquals(List.of("10.0.0.1"), c.startJoin());
        assertEquals(Duration.ofSeconds(5), c.retryInterval());
        assertEquals(3, c.retryMaxAttempts());
        SerfConfig serf = c.applyTo(SerfConfig.agentDefaults());
        assertTrue(serf.rejoinAfterLeave());
        assertEquals(2048, serf.queryResponseSizeLimit());
        assertEquals(Duration.ofHours(1), serf.tombstoneTimeout());
        assertEquals(SerfConfig.agentDefaults().coalescePeriod(), serf.coalescePeriod());

        Path hocon = write("b.conf", "node_name = web-2\nevent_handlers = [\"user:deploy=./deploy.sh\"]\n");
        assertEquals("web-2", ConfigFiles.load(List.of(hocon)).nodeName());
        assertNull(ConfigFiles.load(List.of(hocon)).bind());
    }

    @Test
    void laterFilesWinListsAppendAndTagsMerge() throws IOException {
        Path first = write("1.json", """
                {"node_name": "a", "log_level": "DEBUG", "start_join": ["s1"], "event_handlers": ["h1"],
                 "tags": {"role": "web", "zone": "eu"}}
                """);
        Path second = write("2.json", """
                {"node_name": "b", "start_join": ["s2"], "event_handlers": ["h2"], "tags": {"zone": "us"}}
                """);
        AgentConfig c = ConfigFiles.load(List.of(first, second));
        assertEquals("b", c.nodeName());
        assertEquals("DEBUG", c.logLevel());
        assertEquals(List.of("s1", "s2"), c.startJoin());
        assertEquals(List.of("h1", "h2"), c.eventHandlers());
        assertEquals(Map.of("role", "web", "zone", "us"), c.tags());
        assertEquals("a", ConfigFiles.load(List.of(second, first)).nodeName());
    }

    @Test
    void aDirectoryIsItsConfigFilesInLexicalOrder() throws IOException {
        write("conf.d/20-b.hocon", "node_name = from-b\nstart_join = [b]");
        write("conf.d/10-a.json", "{\"node_name\": \"from-a\", \"start_join\": [\"a\"]}");
        write("conf.d/30-c.conf", "start_join = [c]");
        write("conf.d/99-ignored.txt", "this is not read");
        write("conf.d/README", "neither is this");
        AgentConfig c = ConfigFiles.load(List.of(dir.resolve("conf.d")));
        assertEquals("from-b", c.nodeName());
        assertEquals(List.of("a", "b", "c"), c.startJoin());
    }

    @Test
    void unknownKeysNameTheFileAndTheKey() throws IOException {
        Path file = write("bad.json", "{\"node_name\": \"a\", \"nodename\": \"b\"}");
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.load(List.of(file)));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'nodename'"), e.getMessage());

        Path serfOnly = write("statsd.json", "{\"statsd_addr\": \"127.0.0.1:8125\"}");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.load(List.of(serfOnly)));
        assertTrue(e.getMessage().contains("'statsd_addr' is a Serf setting Murmur does not support"), e.getMessage());
    }

    @Test
    void badFilesAndValuesAreClearErrors() throws IOException {
        Path broken = write("broken.json", "{\"node_name\": ");
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.load(List.of(broken)));
        assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("does not parse"), e.getMessage());

        Path missing = dir.resolve("missing.json");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.load(List.of(missing)));
        assertTrue(e.getMessage().contains("missing.json"), e.getMessage());

        Path wrongType = write("type.json", "{\"retry_max_attempts\": \"many\"}");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.load(List.of(wrongType)));
        assertTrue(e.getMessage().contains("'retry_max_attempts'"), e.getMessage());

        Path tooFast = write("fast.json", "{\"retry_interval\": \"100ms\"}");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.load(List.of(tooFast)));
        assertTrue(e.getMessage().contains("at least 1s"), e.getMessage());

        Path nestedTag = write("tags.json", "{\"tags\": {\"a\": {\"b\": \"c\"}}}");
        assertThrows(IllegalArgumentException.class, () -> ConfigFiles.load(List.of(nestedTag)));
    }

    @Test
    void tagsFileRoundTrips() throws IOException {
        Path file = dir.resolve("tags.json");
        TagsFile.write(file, Map.of("role", "web", "a.b", "x\"y"));
        assertEquals(Map.of("role", "web", "a.b", "x\"y"), TagsFile.read(file));
        assertFalse(Files.readString(file).isBlank());
    }
}
