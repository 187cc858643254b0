package io.murmur.serf.coordinate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Drives a set of {@link VivaldiClient}s over a truth matrix of RTTs, in a plain loop, as Serf's
 * {@code coordinate/performance_test.go} does: each cycle, every node takes one sample to a random other
 * node. All randomness comes from one seed.
 */
final class VivaldiSimulation {

    /** Turns the true RTT of a pair into one measured sample (seconds). */
    @FunctionalInterface
    interface Measurement {
        double sample(double trueRttSeconds, SplittableRandom random);
    }

    /** Relative error {@code |estimate − truth| / truth} over all pairs. */
    record Stats(double averageError, double maxError) {}

    static final Measurement EXACT = (rtt, random) -> rtt;

    private final double[][] truth;
    private final List<VivaldiClient> clients = new ArrayList<>();
    private final SplittableRandom random;

    VivaldiSimulation(double[][] truth, VivaldiConfig config, long seed) {
        this.truth = truth;
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < truth.length; i++) {
            clients.add(new VivaldiClient(config, random.split()));
        }
    }

    int size() {
        return truth.length;
    }

    /** Runs {@code cycles} rounds; every node samples one random peer per round. */
    void run(int cycles, Measurement measurement) {
        int n = truth.length;
        for (int cycle = 0; cycle < cycles; cycle++) {
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n - 1);
                if (j >= i) {
                    j++;
                }
                double sample = measurement.sample(truth[i][j], random);
                long nanos = Math.round(sample * 1e9);
                VivaldiClient.Update u =
                        clients.get(i).update("node-" + j, clients.get(j).coordinate(), nanos);
                if (!(u instanceof VivaldiClient.Accepted)) {
                    throw new AssertionError("sample " + nanos + " ns from node-" + j + " was " + u);
                }
            }
        }
    }

    /** Node i's estimate of the RTT to node j, in seconds (what {@code serf rtt} would print). */
    double estimate(int i, int j) {
        return clients.get(i).coordinate().distanceSecondsTo(clients.get(j).coordinate());
    }

    double truth(int i, int j) {
        return truth[i][j];
    }

    VivaldiClient client(int i) {
        return clients.get(i);
    }

    /** Relative error over the pairs i &lt; j, as Serf's {@code Evaluate}. */
    Stats evaluate() {
        double sum = 0.0;
        double max = 0.0;
        int count = 0;
        for (int i = 0; i < truth.length; i++) {
            for (int j = i + 1; j < truth.length; j++) {
                double error = Math.abs(estimate(i, j) - truth[i][j]) / truth[i][j];
                sum += error;
                max = Math.max(max, error);
                count++;
            }
        }
        return new Stats(sum / count, max);
    }

    /** Nodes on a line, {@code spacing} seconds apart: truth[i][j] = spacing × |i − j|. */
    static double[][] line(int nodes, double spacing) {
        double[][] truth = new double[nodes][nodes];
        for (int i = 0; i < nodes; i++) {
            for (int j = 0; j < nodes; j++) {
                truth[i][j] = spacing * Math.abs(i - j);
            }
        }
        return truth;
    }

    /** A symmetric matrix of normally distributed RTTs, mean ± standard deviation (seconds). */
    static double[][] random(int nodes, double mean, double deviation, SplittableRandom random) {
        double[][] truth = new double[nodes][nodes];
        for (int i = 0; i < nodes; i++) {
            for (int j = i + 1; j < nodes; j++) {
                truth[i][j] = truth[j][i] = mean + random.nextGaussian() * deviation;
            }
        }
        return truth;
    }
}
