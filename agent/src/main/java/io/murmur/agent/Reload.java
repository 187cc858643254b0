package io.murmur.agent;

import ch.qos.logback.classic.Level;
import io.murmur.agent.handlers.HandlerSpec;
import io.murmur.agent.logging.AgentLogging;
import io.murmur.agent.rpc.LogMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP, as Serf's agent handles it: the command line and the configuration files are read again, and three settings
 * take effect: the log level, the event-handler scripts (a script already running finishes; later events run the new
 * set) and the tags (an existing tags file's, else the files' and flags'). Everything else needs a restart. A
 * configuration that does not load changes nothing: the error is logged and the agent keeps the one it runs on. As in
 * Serf, an unknown log level keeps the current one and the rest still applies.
 */
final class Reload {

    private static final Logger LOG = LoggerFactory.getLogger(Reload.class);

    /** What one reload did: the changes it made, and the errors that kept some or all of it from applying. */
    record Outcome(List<String> changes, List<String> errors) {}

    private final Supplier<AgentCommand> configuration;
    private final SerfAgent agent;
    private final AgentLogging logging;
    private final Duration handlerTimeout;
    private List<HandlerSpec> handlers;
    private Map<String, String> tags;

    /**
     * @param configuration reads the configuration again (it throws what a bad one throws at start)
     * @param handlers the event-handler scripts the agent started with
     * @param tags the tags the agent started with
     * @param handlerTimeout for the handlers' thread when the agent started without any
     */
    Reload(
            Supplier<AgentCommand> configuration,
            SerfAgent agent,
            AgentLogging logging,
            List<HandlerSpec> handlers,
            Map<String, String> tags,
            Duration handlerTimeout) {
        this.configuration = configuration;
        this.agent = agent;
        this.logging = logging;
        this.handlers = List.copyOf(handlers);
        this.tags = new TreeMap<>(tags);
        this.handlerTimeout = handlerTimeout;
    }

    /** Reloads on every SIGHUP, one at a time on a thread of its own (a signal handler must return at once). */
    void onHangup() {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "agent-reload");
            t.setDaemon(true);
            return t;
        });
        sun.misc.Signal.handle(
                new sun.misc.Signal("HUP"),
                signal -> thread.execute(() -> {
                    System.out.println("==> Caught signal: hangup");
                    System.out.println("==> Reloading configuration...");
                    reload();
                }));
    }

    /** Reads the configuration again and applies the log level, the handlers and the tags; never throws. */
    synchronized Outcome reload() {
        AgentCommand fresh;
        List<HandlerSpec> newHandlers;
        Map<String, String> newTags;
        try {
            fresh = configuration.get();
            newHandlers = fresh.config.handlerSpecs();
            newTags = new TreeMap<>(fresh.tags());
        } catch (RuntimeException | java.io.IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            LOG.error("Failed to reload the configuration, still running on the previous one: {}", why);
            return new Outcome(List.of(), List.of(why));
        }
        List<String> changes = new ArrayList<>();
        List<String> errors = new ArrayList<>();

        Optional<Level> level = LogMonitor.parseLevel(fresh.logLevel);
        if (level.isEmpty()) {
            errors.add("invalid log level " + fresh.logLevel + ": keeping " + logging.level());
        } else if (!level.get().equals(logging.level())) {
            changes.add("log level " + logging.level() + " -> " + level.get());
            logging.level(level.get());
        }

        if (!newHandlers.equals(handlers)) {
            changes.add("event handlers " + scripts(handlers) + " -> " + scripts(newHandlers));
            agent.replaceEventHandlers(newHandlers, handlerTimeout);
            handlers = List.copyOf(newHandlers);
        }

        // As Serf's agent: against the tags the last configuration gave, not the member list, which may not list this
        // node yet right after a start (and would then hide a change to no tags), and holds tags set over RPC since.
        if (!newTags.equals(tags)) {
            Optional<String> error = agent.api().setTags(newTags);
            if (error.isPresent()) {
                errors.add("failed to update tags: " + error.get());
            } else {
                changes.add("tags " + tags + " -> " + newTags);
                tags = newTags;
            }
        }

        changes.forEach(c -> LOG.info("Reloaded: {}", c));
        errors.forEach(e -> LOG.error("Reload: {}", e));
        if (changes.isEmpty() && errors.isEmpty()) {
            LOG.info("Reloaded: nothing changed (log level, event handlers and tags are what SIGHUP applies)");
        }
        return new Outcome(List.copyOf(changes), List.copyOf(errors));
    }

    /** The specs as a user writes them: {@code user:deploy,query=/etc/deploy.sh}. */
    private static List<String> scripts(List<HandlerSpec> specs) {
        return specs.stream()
                .map(h -> h.filter().entries().stream()
                                .map(e -> e.name().isEmpty() ? e.type() : e.type() + ":" + e.name())
                                .collect(java.util.stream.Collectors.joining(","))
                        + "=" + h.script())
                .toList();
    }
}
