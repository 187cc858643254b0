package io.murmur.membership;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.time.Duration;
import java.util.Objects;

/**
 * The membership protocol's settings: memberlist's knobs under their memberlist meanings, plus Murmur's own
 * (user-broadcast share, seed re-join). Build one from HOCON with {@link #fromConfig}, or take a profile with
 * {@link #lan()}, {@link #wan()}, {@link #local()} and adjust it through {@link #toBuilder()}.
 */
public record MembershipConfig(
        String profile,
        Duration probeInterval,
        Duration probeTimeout,
        int indirectChecks,
        int retransmitMult,
        int suspicionMult,
        int suspicionMaxTimeoutMult,
        Duration pushPullInterval,
        Duration streamTimeout,
        int awarenessMaxMultiplier,
        Duration gossipInterval,
        int gossipNodes,
        Duration gossipToTheDeadTime,
        Duration churnSyncDelay,
        int packetSize,
        Duration deadNodeReclaimTime,
        double userBroadcastShare,
        int userBroadcastQueueLimit,
        Duration rejoinInterval,
        Duration leaveTimeout,
        boolean lifeguard) {

    public MembershipConfig {
        Objects.requireNonNull(profile, "profile");
        positive(probeInterval, "probe-interval");
        positive(probeTimeout, "probe-timeout");
        if (probeTimeout.compareTo(probeInterval) > 0) {
            throw new IllegalArgumentException("probe-timeout must not exceed probe-interval");
        }
        atLeast(indirectChecks, 0, "indirect-checks");
        atLeast(retransmitMult, 1, "retransmit-mult");
        atLeast(suspicionMult, 1, "suspicion-mult");
        atLeast(suspicionMaxTimeoutMult, 1, "suspicion-max-timeout-mult");
        notNegative(pushPullInterval, "push-pull-interval");
        positive(streamTimeout, "stream-timeout");
        atLeast(awarenessMaxMultiplier, 1, "awareness-max-multiplier");
        notNegative(gossipInterval, "gossip-interval");
        atLeast(gossipNodes, 0, "gossip-nodes");
        notNegative(gossipToTheDeadTime, "gossip-to-the-dead-time");
        notNegative(churnSyncDelay, "churn-sync-delay");
        if (packetSize < 256 || packetSize > 65_000) {
            throw new IllegalArgumentException("packet-size must be within 256..65000, was " + packetSize);
        }
        notNegative(deadNodeReclaimTime, "dead-node-reclaim-time");
        if (!(userBroadcastShare >= 0 && userBroadcastShare <= 1)) {
            throw new IllegalArgumentException("user-broadcast-share must be within [0, 1]");
        }
        atLeast(userBroadcastQueueLimit, 1, "user-broadcast-queue-limit");
        notNegative(rejoinInterval, "rejoin-interval");
        notNegative(leaveTimeout, "leave-timeout");
    }

    /** memberlist's {@code DefaultLANConfig} timings. */
    public static MembershipConfig lan() {
        return fromProfile("lan");
    }

    /** memberlist's {@code DefaultWANConfig} timings. */
    public static MembershipConfig wan() {
        return fromProfile("wan");
    }

    /** memberlist's {@code DefaultLocalConfig} timings. */
    public static MembershipConfig local() {
        return fromProfile("local");
    }

    /** The named profile with every other value at its default. */
    public static MembershipConfig fromProfile(String profile) {
        return fromConfig(ConfigFactory.defaultReference()
                .withValue("murmur.membership.profile", com.typesafe.config.ConfigValueFactory.fromAnyRef(profile)));
    }

    /**
     * Reads {@code murmur.membership}: the block {@code profiles.<profile>} supplies the timings, and any key set
     * directly under {@code murmur.membership} overrides it.
     *
     * @throws IllegalArgumentException naming the key, for an unknown profile or a bad value
     */
    public static MembershipConfig fromConfig(Config root) {
        try {
            Config m = root.getConfig("murmur.membership");
            String profile = m.getString("profile");
            // Quoted, so that a profile name with dots (or an empty one) is looked up, not parsed as a path.
            String block = ConfigUtil.joinPath("profiles", profile);
            if (!m.hasPath(block)) {
                throw new IllegalArgumentException(
                        "murmur.membership.profile: unknown profile '" + profile + "' (expected lan, wan or local)");
            }
            Config c = m.withoutPath("profiles").withFallback(m.getConfig(block));
            return new MembershipConfig(
                    profile,
                    c.getDuration("probe-interval"),
                    c.getDuration("probe-timeout"),
                    c.getInt("indirect-checks"),
                    c.getInt("retransmit-mult"),
                    c.getInt("suspicion-mult"),
                    c.getInt("suspicion-max-timeout-mult"),
                    c.getDuration("push-pull-interval"),
                    c.getDuration("stream-timeout"),
                    c.getInt("awareness-max-multiplier"),
                    c.getDuration("gossip-interval"),
                    c.getInt("gossip-nodes"),
                    c.getDuration("gossip-to-the-dead-time"),
                    c.getDuration("churn-sync-delay"),
                    c.getInt("packet-size"),
                    c.getDuration("dead-node-reclaim-time"),
                    c.getDouble("user-broadcast-share"),
                    c.getInt("user-broadcast-queue-limit"),
                    c.getDuration("rejoin-interval"),
                    c.getDuration("leave-timeout"),
                    c.getBoolean("lifeguard"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("murmur.membership: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a duration the way the configuration files write one ({@code 500ms}, {@code 10s}, {@code 2m}).
     *
     * @throws IllegalArgumentException naming the text, when it is not a duration
     */
    public static Duration parseDuration(String text) {
        try {
            return ConfigFactory.parseString("d = \"" + text.replace("\"", "") + "\"")
                    .getDuration("d");
        } catch (ConfigException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (try 500ms, 10s, 2m)");
        }
    }

    /** A builder holding this configuration's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a few values of a configuration; {@link #build()} validates the result. */
    public static final class Builder {
        private String profile;
        private Duration probeInterval;
        private Duration probeTimeout;
        private int indirectChecks;
        private int retransmitMult;
        private int suspicionMult;
        private int suspicionMaxTimeoutMult;
        private Duration pushPullInterval;
        private Duration streamTimeout;
        private int awarenessMaxMultiplier;
        private Duration gossipInterval;
        private int gossipNodes;
        private Duration gossipToTheDeadTime;
        private Duration churnSyncDelay;
        private int packetSize;
        private Duration deadNodeReclaimTime;
        private double userBroadcastShare;
        private int userBroadcastQueueLimit;
        private Duration rejoinInterval;
        private Duration leaveTimeout;
        private boolean lifeguard;

        private Builder(MembershipConfig c) {
            profile = c.profile;
            probeInterval = c.probeInterval;
            probeTimeout = c.probeTimeout;
            indirectChecks = c.indirectChecks;
            retransmitMult = c.retransmitMult;
            suspicionMult = c.suspicionMult;
            suspicionMaxTimeoutMult = c.suspicionMaxTimeoutMult;
            pushPullInterval = c.pushPullInterval;
            streamTimeout = c.streamTimeout;
            awarenessMaxMultiplier = c.awarenessMaxMultiplier;
            gossipInterval = c.gossipInterval;
            gossipNodes = c.gossipNodes;
            gossipToTheDeadTime = c.gossipToTheDeadTime;
            churnSyncDelay = c.churnSyncDelay;
            packetSize = c.packetSize;
            deadNodeReclaimTime = c.deadNodeReclaimTime;
            userBroadcastShare = c.userBroadcastShare;
            userBroadcastQueueLimit = c.userBroadcastQueueLimit;
            rejoinInterval = c.rejoinInterval;
            leaveTimeout = c.leaveTimeout;
            lifeguard = c.lifeguard;
        }

        public Builder probeInterval(Duration v) {
            probeInterval = v;
            return this;
        }

        public Builder probeTimeout(Duration v) {
            probeTimeout = v;
            return this;
        }

        public Builder indirectChecks(int v) {
            indirectChecks = v;
            return this;
        }

        public Builder retransmitMult(int v) {
            retransmitMult = v;
            return this;
        }

        public Builder suspicionMult(int v) {
            suspicionMult = v;
            return this;
        }

        public Builder suspicionMaxTimeoutMult(int v) {
            suspicionMaxTimeoutMult = v;
            return this;
        }

        public Builder pushPullInterval(Duration v) {
            pushPullInterval = v;
            return this;
        }

        public Builder streamTimeout(Duration v) {
            streamTimeout = v;
            return this;
        }

        public Builder awarenessMaxMultiplier(int v) {
            awarenessMaxMultiplier = v;
            return this;
        }

        public Builder gossipInterval(Duration v) {
            gossipInterval = v;
            return this;
        }

        public Builder gossipNodes(int v) {
            gossipNodes = v;
            return this;
        }

        public Builder gossipToTheDeadTime(Duration v) {
            gossipToTheDeadTime = v;
            return this;
        }

        public Builder churnSyncDelay(Duration v) {
            churnSyncDelay = v;
            return this;
        }

        public Builder packetSize(int v) {
            packetSize = v;
            return this;
        }

        public Builder deadNodeReclaimTime(Duration v) {
            deadNodeReclaimTime = v;
            return this;
        }

        public Builder userBroadcastShare(double v) {
            userBroadcastShare = v;
            return this;
        }

        public Builder userBroadcastQueueLimit(int v) {
            userBroadcastQueueLimit = v;
            return this;
        }

        public Builder rejoinInterval(Duration v) {
            rejoinInterval = v;
            return this;
        }

        public Builder leaveTimeout(Duration v) {
            leaveTimeout = v;
            return this;
        }

        /** Lifeguard on (the default) or off (plain SWIM, for comparison). */
        public Builder lifeguard(boolean v) {
            lifeguard = v;
            return this;
        }

        public MembershipConfig build() {
            return new MembershipConfig(
                    profile,
                    probeInterval,
                    probeTimeout,
                    indirectChecks,
                    retransmitMult,
                    suspicionMult,
                    suspicionMaxTimeoutMult,
                    pushPullInterval,
                    streamTimeout,
                    awarenessMaxMultiplier,
                    gossipInterval,
                    gossipNodes,
                    gossipToTheDeadTime,
                    churnSyncDelay,
                    packetSize,
                    deadNodeReclaimTime,
                    userBroadcastShare,
                    userBroadcastQueueLimit,
                    rejoinInterval,
                    leaveTimeout,
                    lifeguard);
        }
    }

    private static void positive(Duration d, String key) {
        Objects.requireNonNull(d, key);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + d);
        }
    }

    private static void notNegative(Duration d, String key) {
        Objects.requireNonNull(d, key);
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, was " + d);
        }
    }

    private static void atLeast(int v, int min, String key) {
        if (v < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + v);
        }
    }
}
