package io.murmur.agent.rpc;

import io.murmur.serf.MemberStatus;
import io.murmur.serf.SerfMember;
import io.murmur.serf.SerfStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code stats} reply (what {@code serf info} prints): Serf's sections {@code agent}, {@code runtime},
 * {@code serf}, {@code tags} and {@code event_handlers}, filled with what Murmur has. Not yet reported: Serf's
 * {@code health_score}, the Lamport clock times, queue depths and {@code coordinate_resets}; Murmur adds its own
 * counters ({@code dropped}, {@code queries_in_flight}, ...) to the {@code serf} section.
 */
final class AgentStats {

    private AgentStats() {}

    /** @param eventHandlers the agent's handler scripts, keyed by filter as Serf keys them */
    static Map<String, Map<String, String>> of(AgentSerf serf, Map<String, String> eventHandlers) {
        List<SerfMember> members = serf.members();
        SerfStats stats = serf.stats();
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        sections.put("agent", Map.of("name", serf.name()));

        Runtime rt = Runtime.getRuntime();
        Map<String, String> runtime = new LinkedHashMap<>();
        runtime.put("os", System.getProperty("os.name", "").toLowerCase(Locale.ROOT));
        runtime.put("arch", System.getProperty("os.arch", ""));
        runtime.put("version", "java " + System.getProperty("java.version", "") + ", murmur " + murmurVersion());
        runtime.put("max_procs", Integer.toString(rt.availableProcessors()));
        runtime.put("goroutines", Integer.toString(Thread.activeCount()));
        runtime.put("cpu_count", Integer.toString(rt.availableProcessors()));
        sections.put("runtime", runtime);

        Map<String, String> s = new LinkedHashMap<>();
        s.put("members", Integer.toString(members.size()));
        s.put("failed", Long.toString(count(members, MemberStatus.FAILED)));
        s.put("left", Long.toString(count(members, MemberStatus.LEFT)));
        s.put("encrypted", Boolean.toString(serf.encrypted()));
        s.put("queries_in_flight", Integer.toString(stats.queriesInFlight()));
        s.put("dropped", Long.toString(stats.droppedTotal()));
        s.put("relayed", Long.toString(stats.relayed()));
        s.put("duplicate_events", Long.toString(stats.duplicateEvents()));
        sections.put("serf", s);

        sections.put(
                "tags",
                members.stream()
                        .filter(m -> m.name().equals(serf.name()))
                        .findFirst()
                        .map(SerfMember::tags)
                        .orElse(Map.of()));
        sections.put("event_handlers", eventHandlers);
        return sections;
    }

    private static String murmurVersion() {
        String v = AgentStats.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    private static long count(List<SerfMember> members, MemberStatus status) {
        return members.stream().filter(m -> m.status() == status).count();
    }
}
