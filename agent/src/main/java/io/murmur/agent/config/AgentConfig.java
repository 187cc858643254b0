package io.murmur.agent.config;

import io.murmur.serf.SerfConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent settings read from configuration files, by Serf's key names ({@link ConfigKeys}); a key no file set is
 * absent (its getter returns null, or an empty list or map). {@link #merge} layers a later file over an earlier one.
 */
public final class AgentConfig {

    private static final AgentConfig EMPTY = new AgentConfig(Map.of());

    private final Map<String, Object> values;

    AgentConfig(Map<String, Object> values) {
        this.values = Map.copyOf(values);
    }

    public static AgentConfig empty() {
        return EMPTY;
    }

    /**
     * {@code later} over this, as Serf's {@code MergeConfig}: a value {@code later} sets wins, lists ({@code start_join},
     * {@code retry_join}, {@code event_handlers}) are appended, and tag maps are merged key by key.
     */
    public AgentConfig merge(AgentConfig later) {
        Map<String, Object> merged = new LinkedHashMap<>(values);
        later.values.forEach((key, value) -> merged.merge(key, value, (a, b) -> {
            if (a instanceof List<?> l1 && b instanceof List<?> l2) {
                List<Object> both = new ArrayList<>(l1);
                both.addAll(l2);
                return List.copyOf(both);
            }
            if (a instanceof Map<?, ?> m1 && b instanceof Map<?, ?> m2) {
                Map<Object, Object> both = new LinkedHashMap<>(m1);
                both.putAll(m2);
                return Map.copyOf(both);
            }
            return b;
        }));
        return new AgentConfig(merged);
    }

    /** Whether a file set {@code key}. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    private <T> T get(String key, Class<T> type) {
        return type.cast(values.get(key));
    }

    @SuppressWarnings("unchecked")
    private List<String> list(String key) {
        return (List<String>) values.getOrDefault(key, List.of());
    }

    public String nodeName() {
        return get("node_name", String.class);
    }

    public String role() {
        return get("role", String.class);
    }

    public String bind() {
        return get("bind", String.class);
    }

    public String advertise() {
        return get("advertise", String.class);
    }

    public String rpcAddr() {
        return get("rpc_addr", String.class);
    }

    public String rpcAuth() {
        return get("rpc_auth", String.class);
    }

    public String encryptKey() {
        return get("encrypt_key", String.class);
    }

    public String logLevel() {
        return get("log_level", String.class);
    }

    public String profile() {
        return get("profile", String.class);
    }

    public Integer protocol() {
        return get("protocol", Integer.class);
    }

    /** Serf's {@code interface} key ({@code -iface}). */
    public String networkInterface() {
        return get("interface", String.class);
    }

    public String discover() {
        return get("discover", String.class);
    }

    /** The {@code mdns} object's {@code interface} ({@code -mdns-iface}). */
    public String mdnsInterface() {
        return (String) mdns().get("interface");
    }

    public Boolean mdnsDisableIpv4() {
        return (Boolean) mdns().get("disable_ipv4");
    }

    public Boolean mdnsDisableIpv6() {
        return (Boolean) mdns().get("disable_ipv6");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> mdns() {
        return (Map<String, Object>) values.getOrDefault("mdns", Map.of());
    }

    public Boolean enableSyslog() {
        return get("enable_syslog", Boolean.class);
    }

    public String syslogFacility() {
        return get("syslog_facility", String.class);
    }

    public Path tagsFile() {
        return get("tags_file", Path.class);
    }

    public Path keyringFile() {
        return get("keyring_file", Path.class);
    }

    public Path snapshotPath() {
        return get("snapshot_path", Path.class);
    }

    public Boolean rejoinAfterLeave() {
        return get("rejoin_after_leave", Boolean.class);
    }

    public Boolean replayOnJoin() {
        return get("replay_on_join", Boolean.class);
    }

    public Boolean leaveOnTerminate() {
        return get("leave_on_terminate", Boolean.class);
    }

    public Boolean skipLeaveOnInterrupt() {
        return get("skip_leave_on_interrupt", Boolean.class);
    }

    public List<String> startJoin() {
        return list("start_join");
    }

    public List<String> retryJoin() {
        return list("retry_join");
    }

    public List<String> eventHandlers() {
        return list("event_handlers");
    }

    public Duration retryInterval() {
        return get("retry_interval", Duration.class);
    }

    public Integer retryMaxAttempts() {
        return get("retry_max_attempts", Integer.class);
    }

    public Duration broadcastTimeout() {
        return get("broadcast_timeout", Duration.class);
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> tags() {
        return (Map<String, String>) values.getOrDefault("tags", Map.of());
    }

    /** {@code base} with the serf-layer values a file set (reconnect and tombstone timing, size limits, rejoin). */
    public SerfConfig applyTo(SerfConfig base) {
        SerfConfig c = base;
        return c.toBuilder()
                .reconnectInterval(or("reconnect_interval", c.reconnectInterval()))
                .reconnectTimeout(or("reconnect_timeout", c.reconnectTimeout()))
                .tombstoneTimeout(or("tombstone_timeout", c.tombstoneTimeout()))
                .querySizeLimit(or("query_size_limit", c.querySizeLimit()))
                .queryResponseSizeLimit(or("query_response_size_limit", c.queryResponseSizeLimit()))
                .userEventSizeLimit(or("user_event_size_limit", c.userEventSizeLimit()))
                .broadcastTimeout(or("broadcast_timeout", c.broadcastTimeout()))
                .rejoinAfterLeave(or("rejoin_after_leave", c.rejoinAfterLeave()))
                .build();
    }

    @SuppressWarnings("unchecked")
    private <T> T or(String key, T fallback) {
        return values.containsKey(key) ? (T) values.get(key) : fallback;
    }

    @Override
    public String toString() {
        return "AgentConfig" + values;
    }
}
