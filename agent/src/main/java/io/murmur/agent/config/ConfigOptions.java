package io.murmur.agent.config;

import io.murmur.agent.handlers.HandlerSpec;
import io.murmur.agent.rpc.AgentSerf;
import io.murmur.membership.MembershipConfig;
import io.murmur.protocol.Address;
import io.murmur.serf.SerfConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The agent's flags for configuration files, event handlers, tags files and background joins, as a picocli mixin, and
 * the layering of files under flags: a flag given on the command line wins over the files, lists (joins, handlers) are
 * the files' followed by the flags', tags are the files' overridden by the flags'.
 */
public final class ConfigOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-config-file", "-config-dir"},
            description = "Configuration file, or directory of *.json/*.conf/*.hocon files, with Serf's keys"
                    + " (repeatable; later ones win, flags win over all).")
    List<Path> configPaths = new ArrayList<>();

    @Option(names = "-event-handler", description = "Event handler script, [filter=]script (repeatable).")
    List<String> eventHandlers = new ArrayList<>();

    @Option(
            names = "-event-handler-timeout",
            defaultValue = "0s",
            converter = DurationFlag.class,
            description = "Kill a handler script that runs longer than this (default 0s: never, as Serf).")
    public Duration eventHandlerTimeout;

    @Option(names = "-tags-file", description = "JSON file of tags: read at start, rewritten when tags change.")
    public Path tagsFile;

    @Option(names = "-role", description = "Sets the tag 'role' (Serf's deprecated flag).")
    String role;

    @Option(names = "-retry-join", description = "Address to join in the background until it works (repeatable).")
    List<String> retryJoin = new ArrayList<>();

    @Option(
            names = "-retry-interval",
            defaultValue = "30s",
            converter = DurationFlag.class,
            description = "Time between -retry-join attempts (at least 1s).")
    Duration retryInterval;

    @Option(
            names = "-retry-max",
            defaultValue = "0",
            description = "-retry-join attempts before exiting (0: no limit).")
    int retryMax;

    @Option(names = "-rejoin", description = "Rejoin the snapshot's members after a restart even after a leave.")
    boolean rejoin;

    @Option(
            names = "-broadcast-timeout",
            converter = DurationFlag.class,
            description = "How long a leave waits for its broadcast (default 5s).")
    Duration broadcastTimeout;

    private AgentConfig files = AgentConfig.empty();

    /** Reads the configuration files and layers them under this mixin's flags; the files' settings for the rest. */
    public AgentConfig load() {
        try {
            files = ConfigFiles.load(configPaths);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        tagsFile = fromFile("-tags-file", tagsFile, files.tagsFile());
        role = fromFile("-role", role, files.role());
        retryInterval = fromFile("-retry-interval", retryInterval, files.retryInterval());
        retryMax = fromFile("-retry-max", retryMax, files.retryMaxAttempts());
        retryJoin.addAll(0, files.retryJoin());
        eventHandlers.addAll(0, files.eventHandlers());
        if (retryInterval.compareTo(RetryJoin.MIN_INTERVAL) < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-retry-interval is at least 1s");
        }
        handlerSpecs(); // a bad spec is a usage error before anything starts
        return files;
    }

    /** {@code fileValue} unless {@code flag} was given on the command line (or no file set it). */
    public <T> T fromFile(String flag, T flagValue, T fileValue) {
        return fileValue == null || spec.commandLine().getParseResult().hasMatchedOption(flag) ? flagValue : fileValue;
    }

    /** {@code base} with the files' serf-layer settings, then {@code -rejoin} and {@code -broadcast-timeout}. */
    public SerfConfig serfConfig(SerfConfig base) {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (rejoin) {
            flags.put("rejoin_after_leave", true);
        }
        if (broadcastTimeout != null) {
            flags.put("broadcast_timeout", broadcastTimeout);
        }
        return files.merge(new AgentConfig(flags)).applyTo(base);
    }

    /**
     * The tags to start with, before {@code -tag} flags: an existing tags file's (Serf refuses it together with other
     * tags), else the files' {@code tags}; {@code -role} is applied by {@link #withRole}.
     */
    public Map<String, String> baseTags(boolean tagFlagsGiven) throws IOException {
        if (tagsFile == null || !Files.exists(tagsFile)) {
            return files.tags();
        }
        if (tagFlagsGiven || !files.tags().isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "tags (-tag or the tags key) cannot be used with an existing -tags-file");
        }
        return TagsFile.read(tagsFile);
    }

    /** {@code tags} with {@code role} set when {@code -role} (or the key) was. */
    public Map<String, String> withRole(Map<String, String> tags) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        if (role != null) {
            all.put("role", role);
        }
        return all;
    }

    /** The {@code -event-handler}s (the files' first). */
    public List<HandlerSpec> handlerSpecs() {
        List<HandlerSpec> specs = new ArrayList<>();
        for (String h : eventHandlers) {
            try {
                specs.add(HandlerSpec.parse(h));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return specs;
    }

    /** Starts joining the {@code -retry-join} addresses in the background; null when there are none. */
    public RetryJoin startRetryJoin(AgentSerf serf, boolean replay) {
        if (retryJoin.isEmpty()) {
            return null;
        }
        List<Address> seeds = new ArrayList<>();
        for (String s : retryJoin) {
            seeds.add(s.indexOf(':') < 0 ? new Address(s, 7946) : Address.parse(s));
        }
        return RetryJoin.start(serf, seeds, replay, retryInterval, retryMax);
    }

    /** Durations as the files write them: {@code 500ms}, {@code 10s}, {@code 2m}. */
    static final class DurationFlag implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return MembershipConfig.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
