package io.murmur.agent.config;

import java.util.Map;
import java.util.Set;

/** Serf's agent configuration keys that Murmur reads, with the kind of value each takes. */
final class ConfigKeys {

    enum Kind {
        STRING,
        PATH,
        BOOLEAN,
        INT,
        DURATION,
        LIST,
        MAP,
        /** Serf's {@code mdns} object: {@code interface}, {@code disable_ipv4}, {@code disable_ipv6}. */
        MDNS
    }

    static final Map<String, Kind> SUPPORTED = Map.ofEntries(
            Map.entry("node_name", Kind.STRING),
            Map.entry("role", Kind.STRING),
            Map.entry("bind", Kind.STRING),
            Map.entry("advertise", Kind.STRING),
            Map.entry("rpc_addr", Kind.STRING),
            Map.entry("rpc_auth", Kind.STRING),
            Map.entry("encrypt_key", Kind.STRING),
            Map.entry("log_level", Kind.STRING),
            Map.entry("profile", Kind.STRING),
            Map.entry("protocol", Kind.INT),
            Map.entry("interface", Kind.STRING),
            Map.entry("discover", Kind.STRING),
            Map.entry("mdns", Kind.MDNS),
            Map.entry("enable_syslog", Kind.BOOLEAN),
            Map.entry("syslog_facility", Kind.STRING),
            Map.entry("tags", Kind.MAP),
            Map.entry("tags_file", Kind.PATH),
            Map.entry("keyring_file", Kind.PATH),
            Map.entry("snapshot_path", Kind.PATH),
            Map.entry("rejoin_after_leave", Kind.BOOLEAN),
            Map.entry("replay_on_join", Kind.BOOLEAN),
            Map.entry("leave_on_terminate", Kind.BOOLEAN),
            Map.entry("skip_leave_on_interrupt", Kind.BOOLEAN),
            Map.entry("start_join", Kind.LIST),
            Map.entry("retry_join", Kind.LIST),
            Map.entry("event_handlers", Kind.LIST),
            Map.entry("retry_interval", Kind.DURATION),
            Map.entry("retry_max_attempts", Kind.INT),
            Map.entry("reconnect_interval", Kind.DURATION),
            Map.entry("reconnect_timeout", Kind.DURATION),
            Map.entry("tombstone_timeout", Kind.DURATION),
            Map.entry("broadcast_timeout", Kind.DURATION),
            Map.entry("query_response_size_limit", Kind.INT),
            Map.entry("query_size_limit", Kind.INT),
            Map.entry("user_event_size_limit", Kind.INT));

    /** Serf keys Murmur does not implement: named as such in the error, so a Serf file's author knows why. */
    static final Set<String> SERF_ONLY = Set.of(
            "disable_coordinates",
            "disable_name_resolution",
            "enable_compression",
            "statsite_addr",
            "statsd_addr",
            "validate_node_names");

    private ConfigKeys() {}
}
