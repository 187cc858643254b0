package io.murmur.transport.aeron;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the embedded Aeron media and the transports on it. {@link #defaults()} suits gossip on a small machine;
 * tests shorten the timeouts through {@link #toBuilder()}.
 *
 * @param directory parent of the driver's directory; {@code null} picks {@code /dev/shm} when it exists, else
 *     {@code java.io.tmpdir}. The driver directory itself is always unique to one launch, so two JVMs never collide.
 * @param driverMaxPark longest park of the driver's single (SHARED) thread when idle; it never busy-spins
 * @param pollerMaxPark longest park of the poller thread that delivers inbound traffic to listeners
 * @param minPark the driver's and the poller's first park after work (at most their longest); the parks double from
 *     it while idle. With dozens of open streams heartbeating every 100 ms there is work every few milliseconds, so
 *     this, more than the longest park, sets how often the threads wake
 * @param termLength Aeron term length of every publication (a power of two, at least 64 KiB); the largest Aeron
 *     message is an eighth of it, and each publication and each image costs three terms of memory
 * @param mtu the channel MTU: with 1472 a 1440-byte frame, i.e. a 1400-byte packet plus its envelope, is one datagram
 * @param publicationIdleTimeout a publication that has carried nothing for this long is closed
 * @param holdMaxPackets packets held per destination while its publication is not connected
 * @param holdMaxAge longest time a packet is held before it is dropped
 * @param responseHoldTimeout longest time a response may wait for its publication to connect or to drain
 * @param maxInboundRequests requests a node reassembles or serves at once; more are refused (memberlist's
 *     maxPushPullRequests)
 * @param reassemblyBudgetBytes bytes a node may hold in partly received reliable-path messages
 * @param reassemblyTimeout a partly received message that has not progressed for this long is discarded
 * @param outboundBudgetBytes bytes of reliable-path messages the media may hold waiting to be sent
 * @param maxRoutes destinations per stream with an open route (each costs a publication of three terms in the driver
 *     directory); a packet or message to a further destination is dropped and counted, so that traffic cannot make
 *     the media allocate without bound. Idle routes close and free their slot.
 * @param publicationConnectionTimeout the driver's publication connection timeout (Aeron's default is 5 s)
 * @param imageLivenessTimeout the driver's image liveness timeout (Aeron's default is 10 s)
 * @param statusMessageInterval how often a receiver tells each sender it is there when nothing else made it (500 ms;
 *     Aeron's default is 200 ms); with a publication heartbeating every 100 ms (fixed in Aeron), an open stream costs
 *     its two ends some 12 packets a second while idle (15 at 200 ms). A status message is also sent at once when a
 *     SETUP arrives or the receiver's window moves, so this only paces the keep-alive. Must stay well under
 *     {@code publicationConnectionTimeout}
 * @param driverInPoller run the media driver's duty cycle on the poller thread (Aeron's INVOKER threading mode)
 *     instead of a thread of its own: one thread and one wake-up source fewer, which suits a JVM with one node (the
 *     agent); a JVM with many nodes keeps the two threads, so that the driver and the deliveries use two cores.
 *     The driver then parks with the poller ({@code pollerMaxPark}); {@code driverMaxPark} does not apply
 */
public record AeronSettings(
        Path directory,
        Duration driverMaxPark,
        Duration pollerMaxPark,
        Duration minPark,
        int termLength,
        int mtu,
        Duration publicationIdleTimeout,
        int holdMaxPackets,
        Duration holdMaxAge,
        Duration responseHoldTimeout,
        int maxInboundRequests,
        long reassemblyBudgetBytes,
        Duration reassemblyTimeout,
        long outboundBudgetBytes,
        int maxRoutes,
        Duration publicationConnectionTimeout,
        Duration imageLivenessTimeout,
        Duration statusMessageInterval,
        boolean driverInPoller) {

    private static final int MIN_TERM_LENGTH = 64 * 1024;

    public AeronSettings {
        requirePositive(driverMaxPark, "driverMaxPark");
        requirePositive(pollerMaxPark, "pollerMaxPark");
        requirePositive(minPark, "minPark");
        if (termLength < MIN_TERM_LENGTH || Integer.bitCount(termLength) != 1) {
            throw new IllegalArgumentException("termLength must be a power of two >= 64 KiB: " + termLength);
        }
        if (mtu < 128 || mtu > 65504 || mtu % 32 != 0) {
            throw new IllegalArgumentException("mtu must be a multiple of 32 in [128, 65504]: " + mtu);
        }
        requirePositive(publicationIdleTimeout, "publicationIdleTimeout");
        if (holdMaxPackets < 0) {
            throw new IllegalArgumentException("holdMaxPackets < 0");
        }
        requirePositive(holdMaxAge, "holdMaxAge");
        requirePositive(responseHoldTimeout, "responseHoldTimeout");
        if (maxInboundRequests < 1) {
            throw new IllegalArgumentException("maxInboundRequests < 1");
        }
        if (maxRoutes < 1) {
            throw new IllegalArgumentException("maxRoutes < 1");
        }
        if (reassemblyBudgetBytes < 1 || outboundBudgetBytes < 1) {
            throw new IllegalArgumentException("budgets must be positive");
        }
        requirePositive(reassemblyTimeout, "reassemblyTimeout");
        requirePositive(publicationConnectionTimeout, "publicationConnectionTimeout");
        requirePositive(imageLivenessTimeout, "imageLivenessTimeout");
        requirePositive(statusMessageInterval, "statusMessageInterval");
        if (statusMessageInterval.multipliedBy(2).compareTo(publicationConnectionTimeout) > 0) {
            throw new IllegalArgumentException(
                    "statusMessageInterval must be at most half the publicationConnectionTimeout");
        }
    }

    /** The settings used when none are given. */
    public static AeronSettings defaults() {
        return new Builder().build();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The largest message one Aeron publication of these settings carries: an eighth of a term. */
    int maxMessageLength() {
        return Math.min(termLength / 8, 16 * 1024 * 1024);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Builds {@link AeronSettings}; starts from the defaults. */
    public static final class Builder {
        private Path directory;
        private Duration driverMaxPark = Duration.ofMillis(2);
        private Duration pollerMaxPark = Duration.ofMillis(2);
        private Duration minPark = Duration.ofMillis(1);
        private int termLength = 64 * 1024;
        private int mtu = 1472;
        private Duration publicationIdleTimeout = Duration.ofSeconds(5);
        private int holdMaxPackets = 64;
        private Duration holdMaxAge = Duration.ofSeconds(1);
        private Duration responseHoldTimeout = Duration.ofSeconds(10);
        private int maxInboundRequests = 128;
        private long reassemblyBudgetBytes = 64L * 1024 * 1024;
        private Duration reassemblyTimeout = Duration.ofSeconds(10);
        private long outboundBudgetBytes = 256L * 1024 * 1024;
        private int maxRoutes = 1024;
        private Duration publicationConnectionTimeout = Duration.ofSeconds(2);
        private Duration imageLivenessTimeout = Duration.ofSeconds(4);
        private Duration statusMessageInterval = Duration.ofMillis(500);
        private boolean driverInPoller;

        public Builder() {}

        private Builder(AeronSettings s) {
            directory = s.directory;
            driverMaxPark = s.driverMaxPark;
            pollerMaxPark = s.pollerMaxPark;
            minPark = s.minPark;
            termLength = s.termLength;
            mtu = s.mtu;
            publicationIdleTimeout = s.publicationIdleTimeout;
            holdMaxPackets = s.holdMaxPackets;
            holdMaxAge = s.holdMaxAge;
            responseHoldTimeout = s.responseHoldTimeout;
            maxInboundRequests = s.maxInboundRequests;
            reassemblyBudgetBytes = s.reassemblyBudgetBytes;
            reassemblyTimeout = s.reassemblyTimeout;
            outboundBudgetBytes = s.outboundBudgetBytes;
            maxRoutes = s.maxRoutes;
            publicationConnectionTimeout = s.publicationConnectionTimeout;
            imageLivenessTimeout = s.imageLivenessTimeout;
            statusMessageInterval = s.statusMessageInterval;
            driverInPoller = s.driverInPoller;
        }

        public Builder directory(Path v) {
            directory = v;
            return this;
        }

        public Builder driverMaxPark(Duration v) {
            driverMaxPark = v;
            return this;
        }

        public Builder pollerMaxPark(Duration v) {
            pollerMaxPark = v;
            return this;
        }

        public Builder minPark(Duration v) {
            minPark = v;
            return this;
        }

        public Builder termLength(int v) {
            termLength = v;
            return this;
        }

        public Builder mtu(int v) {
            mtu = v;
            return this;
        }

        public Builder publicationIdleTimeout(Duration v) {
            publicationIdleTimeout = v;
            return this;
        }

        public Builder holdMaxPackets(int v) {
            holdMaxPackets = v;
            return this;
        }

        public Builder holdMaxAge(Duration v) {
            holdMaxAge = v;
            return this;
        }

        public Builder responseHoldTimeout(Duration v) {
            responseHoldTimeout = v;
            return this;
        }

        public Builder maxInboundRequests(int v) {
            maxInboundRequests = v;
            return this;
        }

        public Builder reassemblyBudgetBytes(long v) {
            reassemblyBudgetBytes = v;
            return this;
        }

        public Builder reassemblyTimeout(Duration v) {
            reassemblyTimeout = v;
            return this;
        }

        public Builder maxRoutes(int v) {
            maxRoutes = v;
            return this;
        }

        public Builder outboundBudgetBytes(long v) {
            outboundBudgetBytes = v;
            return this;
        }

        public Builder publicationConnectionTimeout(Duration v) {
            publicationConnectionTimeout = v;
            return this;
        }

        public Builder imageLivenessTimeout(Duration v) {
            imageLivenessTimeout = v;
            return this;
        }

        public Builder statusMessageInterval(Duration v) {
            statusMessageInterval = v;
            return this;
        }

        public Builder driverInPoller(boolean v) {
            driverInPoller = v;
            return this;
        }

        public AeronSettings build() {
            return new AeronSettings(
                    directory,
                    driverMaxPark,
                    pollerMaxPark,
                    minPark,
                    termLength,
                    mtu,
                    publicationIdleTimeout,
                    holdMaxPackets,
                    holdMaxAge,
                    responseHoldTimeout,
                    maxInboundRequests,
                    reassemblyBudgetBytes,
                    reassemblyTimeout,
                    outboundBudgetBytes,
                    maxRoutes,
                    publicationConnectionTimeout,
                    imageLivenessTimeout,
                    statusMessageInterval,
                    driverInPoller);
        }
    }
}
