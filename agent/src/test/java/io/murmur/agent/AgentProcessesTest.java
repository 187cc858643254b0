package io.murmur.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AgentProcessesTest {

    @Test
    void readsTheHealthScoreOffAMetricsPage() {
        String page = String.join(
                "\n",
                "# HELP memberlist_health_score Lifeguard local health score",
                "# TYPE memberlist_health_score gauge",
                "memberlist_health_score_other 9.0",
                "memberlist_health_score 3.0",
                "memberlist_probe_rtt_seconds_count 10",
                "");
        assertEquals(3.0, AgentProcesses.healthScore(page));
    }

    @Test
    void aPageWithoutTheScoreSaysSo() {
        assertEquals(-1, AgentProcesses.healthScore("# could not read /metrics: java.net.ConnectException\n"));
    }
}
