package io.murmur.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code murmur simulate} as a user runs it. */
class SimulateCommandTest {

    private record Result(int code, String out) {
        String lastLine() {
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private static Result run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            return new Result(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void jsonIsTheLastLineAndHoldsTheIssuesKeys(@TempDir Path dir) {
        Path plot = dir.resolve("fail.png");
        Result r = run(
                "--nodes",
                "30",
                "--scenario",
                "fail",
                "--seed",
                "3",
                "--duration",
                "30s",
                "--json",
                "--plot",
                plot.toString());
        assertEquals(0, r.code());
        String json = r.lastLine();
        for (String key : List.of(
                "nodes",
                "scenario",
                "seed",
                "profile",
                "sim_seconds",
                "wall_seconds",
                "trace_hash",
                "converge_s",
                "fail_all_detect_s",
                "false_positives",
                "msgs_per_node_per_s",
                "bytes_per_node_per_s",
                "peak_heap_mb")) {
            assertTrue(json.contains("\"" + key + "\":"), key + " missing from " + json);
        }
        assertTrue(json.contains("\"scenario\":\"fail\""), json);
        assertTrue(Files.exists(plot));
    }

    @Test
    void theSameSeedPrintsTheSameTraceHash() {
        String a = run("--nodes", "20", "--scenario", "churn", "--seed", "5", "--duration", "40s", "--json")
                .lastLine();
        String b = run("--nodes", "20", "--scenario", "churn", "--seed", "5", "--duration", "40s", "--json")
                .lastLine();
        assertEquals(hash(a), hash(b));
    }

    private static String hash(String json) {
        int at = json.indexOf("\"trace_hash\":\"") + 14;
        return json.substring(at, json.indexOf('"', at));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, run("--scenario", "meteor").code());
        assertEquals(2, run("--profile", "moon").code());
        assertEquals(2, run("--lifeguard", "maybe").code());
        assertEquals(2, run("--loss", "2").code());
        assertEquals(2, run("--nodes", "1").code());
        assertEquals(2, run("--plot", "out.jpg").code());
        assertEquals(2, run("--duration", "forever").code());
    }
}
