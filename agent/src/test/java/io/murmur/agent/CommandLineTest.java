package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The murmur command line as a user runs it: exit codes, output, and the JSON line the benchmarks end with. */
class CommandLineTest {

    /** Runs the command line and returns (exit code, what it printed on stdout). */
    private static Result run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
        }
    }

    private record Result(int code, String out) {
        String lastLine() {
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    @Test
    void benchMembershipEndsWithOneJsonLineHoldingEveryFigure() {
        Result r = run(
                "bench",
                "membership",
                "--transport",
                "memory",
                "--nodes",
                "4",
                "--settle",
                "0s",
                "--quiet-window",
                "1s",
                "--json");
        assertEquals(0, r.code());
        String json = r.lastLine();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (String key : List.of(
                "nodes",
                "profile",
                "converge_s",
                "fail_first_detect_s",
                "fail_all_detect_s",
                "steady_cpu_pct_per_node",
                "packets_per_node_per_s",
                "bytes_per_node_per_s",
                "heap_mb")) {
            assertTrue(json.contains("\"" + key + "\":"), key + " missing from " + json);
        }
        assertTrue(json.contains("\"nodes\":4"), json);
        assertTrue(!json.contains("NaN") && !json.contains("null"), json);
    }

    @Test
    void benchSerfEndsWithOneJsonLineAndEveryNodeAnswersTheQuery() {
        Result r = run("bench", "serf", "--transport", "memory", "--nodes", "5", "--json");
        assertEquals(0, r.code());
        String json = r.lastLine();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (String key : List.of(
                "nodes",
                "profile",
                "transport",
                "seed",
                "cores",
                "converge_s",
                "event_all_s",
                "query_all_s",
                "query_done_s",
                "query_responses",
                "query_timed_out")) {
            assertTrue(json.contains("\"" + key + "\":"), key + " missing from " + json);
        }
        assertTrue(json.contains("\"nodes\":5,"), json);
        assertTrue(json.contains("\"query_responses\":5,"), json);
        assertTrue(json.contains("\"query_timed_out\":false"), json);
        assertTrue(!json.contains("NaN") && !json.contains("null"), json);
    }

    /**
     * Three agent processes: every figure present, every agent's handler answered the query, the kill was detected
     * (or the bench would have failed), and /proc gave each agent's memory.
     */
    @Test
    void benchAgentsDrivesAgentProcessesAndEndsWithOneJsonLine() {
        Result r = run("bench", "agents", "--nodes", "3", "--json");
        assertEquals(0, r.code(), r.out());
        String json = r.lastLine();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (String key : List.of(
                "start_s",
                "converge_s",
                "event_all_handlers_s",
                "query_wall_s",
                "query_responses",
                "fail_all_detect_s",
                "rss_mb_per_agent",
                "rss_mb_max",
                "pss_mb_per_agent")) {
            assertTrue(json.contains("\"" + key + "\":"), key + " missing from " + json);
        }
        assertTrue(json.contains("\"nodes\":3,"), json);
        assertTrue(json.contains("\"query_responses\":3,"), json);
        assertTrue(json.contains("\"join_errors\":0,"), json);
        assertTrue(!json.contains("\"rss_mb_per_agent\":0.0,"), json);
        assertTrue(!json.contains("\"pss_mb_per_agent\":0.0,"), json);
        assertTrue(!json.contains("NaN") && !json.contains("null") && !json.contains("-"), json);
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertEquals(2, run("bench", "membership", "--profile", "nope").code());
        assertEquals(
                2, run("bench", "membership", "--transport", "carrier-pigeon").code());
        assertEquals(2, run("bench", "membership", "--nodes", "1").code());
        assertEquals(2, run("bench", "serf", "--nodes", "1").code());
        assertEquals(2, run("bench", "serf", "--transport", "carrier-pigeon").code());
        assertEquals(2, run("bench", "agents", "--nodes", "1").code());
        assertEquals(2, run("bench", "agents", "--profile", "nope").code());
        assertEquals(2, run("bench", "membership", "--quiet-window", "soon").code());
        assertEquals(2, run("bench").code());
        assertEquals(2, run("demo", "--nodes", "2").code());
        assertEquals(2, run("no-such-command").code());
    }

    @Test
    void versionAndHelpWork() {
        assertEquals(0, run("version").code());
        assertEquals(0, run("--help").code());
        assertEquals(0, run("bench", "membership", "--help").code());
        assertEquals(0, run("bench", "serf", "--help").code());
        assertEquals(0, run("bench", "agents", "--help").code());
    }

    @Test
    void demoShowsALeaveAndADetectedFailureAndExitsZero() {
        Result r = run("demo");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("converged: every node sees 5 alive members"), r.out());
        assertTrue(r.out().contains("sees n3 leave"), r.out());
        assertTrue(r.out().contains("declares n4 FAILED"), r.out());
    }
}
