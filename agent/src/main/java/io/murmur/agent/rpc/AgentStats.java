package io.murmur.agent.rpc;

import io.murmur.serf.MemberStatus;
import io.murmur.serf.SerfInfo;
import io.murmur.serf.SerfMember;
import io.murmur.serf.SerfStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code stats} reply (what {@code serf info} prints): Serf's sections {@code agent}, {@code runtime},
 * {@code serf}, {@code tags} and {@code event_handlers}. The {@code serf} section has Serf's keys with Serf's meaning
 * ({@code members}, {@code failed}, {@code left}, {@code health_score}, the Lamport times, the three queue depths,
 * {@code encrypted}, {@code coordinate_resets} when the node computes coordinates), and Murmur's own counters
 * ({@code dropped}, {@code queries_in_flight}, ...). The keys from {@link SerfInfo} are left out when the node did
 * not answer for them in time.
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
        Optional<SerfInfo> info = serf.info();
        info.ifPresent(i -> {
            s.put("health_score", Integer.toString(i.healthScore()));
            s.put("member_time", Long.toString(i.memberTime()));
            s.put("event_time", Long.toString(i.eventTime()));
            s.put("query_time", Long.toString(i.queryTime()));
            s.put("intent_queue", Integer.toString(i.intentQueue()));
            s.put("event_queue", Integer.toString(i.eventQueue()));
            s.put("query_queue", Integer.toString(i.queryQueue()));
        });
        s.put("encrypted", Boolean.toString(serf.encrypted()));
        info.map(SerfInfo::coordinateResets)
                .filter(OptionalLong::isPresent)
                .ifPresent(n -> s.put("coordinate_resets", Long.toString(n.getAsLong())));
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
