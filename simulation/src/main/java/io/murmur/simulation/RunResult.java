package io.murmur.simulation;

import io.murmur.membership.MembershipConfig;
import java.util.Locale;

/**
 * The figures of one simulation run. Times are seconds of virtual time; a figure that does not apply to the scenario
 * (or was never reached) is NaN, written as {@code null} in JSON.
 *
 * @param falsePositives healthy members declared failed by healthy members (Lifeguard's "both parties healthy")
 * @param falsePositivesByAnyObserver healthy members declared failed by anyone, harmed members included
 * @param convergence the tracked change's curve, or null
 * @param detection the curve of the victim's failure being declared, or null
 */
public record RunResult(
        String scenario,
        int nodes,
        long seed,
        MembershipConfig config,
        double simSeconds,
        double wallSeconds,
        long events,
        String traceHash,
        Curve convergence,
        Curve detection,
        long falsePositives,
        long falsePositivesByAnyObserver,
        double falsePositiveSeconds,
        long failuresOfHarmed,
        double msgsPerNodePerSecond,
        double bytesPerNodePerSecond,
        int maxQueueDepth,
        double peakHeapMb) {

    public double convergeSeconds() {
        return convergence == null ? Double.NaN : convergence.secondsToAll();
    }

    public double convergeSeconds(double fraction) {
        return convergence == null ? Double.NaN : convergence.secondsTo(fraction);
    }

    public double failFirstDetectSeconds() {
        return detection == null || detection.reached() == 0
                ? Double.NaN
                : detection.points()[0][0];
    }

    public double failAllDetectSeconds() {
        return detection == null ? Double.NaN : detection.secondsToAll();
    }

    /** Simulated seconds per wall-clock second. */
    public double speedup() {
        return simSeconds / Math.max(wallSeconds, 1e-9);
    }

    /** One line of JSON with every figure. */
    public String toJson() {
        return String.format(
                Locale.ROOT,
                "{\"nodes\":%d,\"scenario\":\"%s\",\"seed\":%d,\"profile\":\"%s\",\"lifeguard\":%s,"
                        + "\"sim_seconds\":%.3f,\"wall_seconds\":%.3f,\"speedup\":%s,\"events\":%d,"
                        + "\"trace_hash\":\"%s\",\"converge_s\":%s,\"converge_50_s\":%s,\"converge_99_s\":%s,"
                        + "\"converge_9999_s\":%s,\"fail_first_detect_s\":%s,\"fail_all_detect_s\":%s,"
                        + "\"false_positives\":%d,\"false_positives_any_observer\":%d,"
                        + "\"false_positive_seconds\":%s,\"failures_of_harmed\":%d,"
                        + "\"msgs_per_node_per_s\":%s,\"bytes_per_node_per_s\":%s,\"max_queue_depth\":%d,"
                        + "\"peak_heap_mb\":%s}",
                nodes,
                scenario,
                seed,
                config.profile(),
                config.lifeguard(),
                simSeconds,
                wallSeconds,
                num(speedup()),
                events,
                traceHash,
                num(convergeSeconds()),
                num(convergeSeconds(0.5)),
                num(convergeSeconds(0.99)),
                num(convergeSeconds(0.9999)),
                num(failFirstDetectSeconds()),
                num(failAllDetectSeconds()),
                falsePositives,
                falsePositivesByAnyObserver,
                num(falsePositiveSeconds),
                failuresOfHarmed,
                num(msgsPerNodePerSecond),
                num(bytesPerNodePerSecond),
                maxQueueDepth,
                num(peakHeapMb));
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }
}
