package io.murmur.agent.config;

import io.murmur.agent.rpc.AgentSerf;
import io.murmur.membership.JoinResult;
import io.murmur.protocol.Address;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serf's {@code -retry-join}: joins the seeds in the background, every {@code interval} until one join succeeds or
 * {@code maxAttempts} failed (0: forever). {@link #result()} completes with whether it joined; Serf's agent exits
 * when the attempts run out.
 */
public final class RetryJoin implements AutoCloseable {

    /** Serf's default interval and its minimum. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(RetryJoin.class);

    private final AgentSerf serf;
    private final List<Address> seeds;
    private final boolean replay;
    private final Duration interval;
    private final int maxAttempts;
    private final CompletableFuture<Boolean> result = new CompletableFuture<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retry-join");
        t.setDaemon(true);
        return t;
    });
    private int attempts;

    private RetryJoin(AgentSerf serf, List<Address> seeds, boolean replay, Duration interval, int maxAttempts) {
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("the retry interval is at least 1s, got " + interval);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("retry max attempts is never negative: " + maxAttempts);
        }
        this.serf = serf;
        this.seeds = List.copyOf(seeds);
        this.replay = replay;
        this.interval = interval;
        this.maxAttempts = maxAttempts;
    }

    /** Starts the first attempt now. */
    public static RetryJoin start(
            AgentSerf serf, List<Address> seeds, boolean replay, Duration interval, int maxAttempts) {
        RetryJoin r = new RetryJoin(serf, seeds, replay, interval, maxAttempts);
        r.timer.execute(r::attempt);
        return r;
    }

    /** True once a join succeeded; false when every allowed attempt failed. */
    public CompletableFuture<Boolean> result() {
        return result;
    }

    private void attempt() {
        attempts++;
        JoinResult joined = serf.join(seeds, !replay);
        if (joined.joined() > 0) {
            LOG.info("retry join: joined {} node(s) after {} attempt(s)", joined.joined(), attempts);
            result.complete(true);
            timer.shutdown();
        } else if (maxAttempts > 0 && attempts >= maxAttempts) {
            LOG.error("retry join: {} attempt(s) failed, giving up: {}", attempts, joined.failures());
            result.complete(false);
            timer.shutdown();
        } else {
            LOG.warn("retry join: attempt {} failed, retrying in {}: {}", attempts, interval, joined.failures());
            timer.schedule(this::attempt, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
