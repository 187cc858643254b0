package io.murmur.serf.coordinate;

/**
 * Tuning of the Vivaldi coordinate client. {@link #defaults()} equals Serf's {@code DefaultConfig()}.
 * Times are in seconds, as in the coordinates themselves.
 *
 * @param dimensionality number of Euclidean dimensions of a coordinate
 * @param vivaldiErrorMax the error a new coordinate starts with, and the cap on the error afterwards
 * @param vivaldiCE how fast the error estimate follows the observed relative error (c_e in the paper)
 * @param vivaldiCC how far one sample moves the coordinate (c_c in the paper)
 * @param adjustmentWindowSize samples of (rtt − estimate) averaged into the adjustment term; 0 disables it
 * @param heightMin the floor of a coordinate's height (seconds)
 * @param latencyFilterSize samples per peer in the moving-median filter applied to raw RTTs
 * @param gravityRho distance from the origin at which gravity pulls with a force of one second (seconds)
 */
public record VivaldiConfig(
        int dimensionality,
        double vivaldiErrorMax,
        double vivaldiCE,
        double vivaldiCC,
        int adjustmentWindowSize,
        double heightMin,
        int latencyFilterSize,
        double gravityRho) {

    public VivaldiConfig {
        require(dimensionality >= 1, "dimensionality must be at least 1");
        require(vivaldiErrorMax > 0.0 && Double.isFinite(vivaldiErrorMax), "vivaldiErrorMax must be positive");
        require(vivaldiCE > 0.0 && vivaldiCE <= 1.0, "vivaldiCE must be in (0, 1]");
        require(vivaldiCC > 0.0 && vivaldiCC <= 1.0, "vivaldiCC must be in (0, 1]");
        require(adjustmentWindowSize >= 0, "adjustmentWindowSize must not be negative");
        require(heightMin >= 0.0 && Double.isFinite(heightMin), "heightMin must not be negative");
        require(latencyFilterSize >= 1, "latencyFilterSize must be at least 1");
        require(gravityRho > 0.0 && Double.isFinite(gravityRho), "gravityRho must be positive");
    }

    /** Serf's defaults: 8 dimensions, error max 1.5, c_e = c_c = 0.25, window 20, height ≥ 10 µs, filter 3, rho 150 s. */
    public static VivaldiConfig defaults() {
        return new VivaldiConfig(8, 1.5, 0.25, 0.25, 20, 10.0e-6, 3, 150.0);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
