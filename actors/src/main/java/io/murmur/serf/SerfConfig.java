package io.murmur.serf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * The serf layer's settings, Serf's {@code DefaultConfig} values unless noted; read from {@code murmur.serf} in HOCON
 * with {@link #fromConfig}. Sizes are in bytes, buffers in Lamport ticks.
 *
 * @param coalescePeriod member events are held at most this long and delivered together (0: off; Serf's agent: 3 s)
 * @param quiescentPeriod ... or delivered once no new member event came for this long (Serf's agent: 1 s)
 * @param userCoalescePeriod the same for user events sent with the coalesce flag
 * @param userQuiescentPeriod the same for user events sent with the coalesce flag
 * @param reapInterval how often failed and left members are checked for reaping
 * @param reconnectInterval how often a reconnect to a random failed member is tried
 * @param reconnectTimeout a failed member is reaped after this long
 * @param tombstoneTimeout a left member is reaped after this long
 * @param recentIntentTimeout join and leave intents about unknown members are kept this long
 * @param eventBuffer user events are de-duplicated over this many event-clock ticks (and older ones dropped)
 * @param queryBuffer queries are de-duplicated over this many query-clock ticks
 * @param queryTimeoutMult a query's default timeout is gossip-interval * this * ceil(log10(N + 1))
 * @param querySizeLimit largest encoded query
 * @param queryResponseSizeLimit largest encoded query response
 * @param userEventSizeLimit largest name plus payload of a user event
 * @param broadcastTimeout how long a leave waits for its intent to be sent out
 * @param leavePropagateDelay how long a leave waits after that, for the intent to spread
 * @param queryRetryInterval Murmur's addition: a query re-sends itself directly to the matching members that have not
 *     answered yet at this interval, and answers to such a re-send repeat the response, so that every response
 *     arrives under loss
 * @param rejoinAfterLeave rejoin the snapshot's members after a restart even if this node had left
 * @param coordinates whether to compute network coordinates from probe round trips
 * @param broadcastTransmits Murmur's addition: serf broadcasts (intents, user events, queries) are sent this many
 *     times the membership transmit limit, so that no member is left to wait for a push/pull (see docs/serf.md)
 * @param queryDirectLimit Murmur's addition: a query that at most this many members should answer is also sent to
 *     each of them directly (0: gossip only, as Serf)
 * @param eventDirectLimit Murmur's addition: in a cluster of at most this many live members a user event is also sent
 *     to each of them directly (0: gossip only, as Serf)
 */
public record SerfConfig(
        Duration coalescePeriod,
        Duration quiescentPeriod,
        Duration userCoalescePeriod,
        Duration userQuiescentPeriod,
        Duration reapInterval,
        Duration reconnectInterval,
        Duration reconnectTimeout,
        Duration tombstoneTimeout,
        Duration recentIntentTimeout,
        int eventBuffer,
        int queryBuffer,
        int queryTimeoutMult,
        int querySizeLimit,
        int queryResponseSizeLimit,
        int userEventSizeLimit,
        Duration broadcastTimeout,
        Duration leavePropagateDelay,
        Duration queryRetryInterval,
        boolean rejoinAfterLeave,
        boolean coordinates,
        int broadcastTransmits,
        int queryDirectLimit,
        int eventDirectLimit) {

    /** Serf's hard cap on a user event, whatever the configured limit. */
    public static final int USER_EVENT_SIZE_CAP = 9 * 1024;

    public SerfConfig {
        for (Duration d : new Duration[] {
            coalescePeriod, quiescentPeriod, userCoalescePeriod, userQuiescentPeriod, leavePropagateDelay
        }) {
            Objects.requireNonNull(d);
            if (d.isNegative()) {
                throw new IllegalArgumentException("a period is never negative: " + d);
            }
        }
        for (Duration d : new Duration[] {
            reapInterval,
            reconnectInterval,
            reconnectTimeout,
            tombstoneTimeout,
            recentIntentTimeout,
            broadcastTimeout,
            queryRetryInterval
        }) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("an interval or timeout must be positive: " + d);
            }
        }
        if (eventBuffer < 1 || queryBuffer < 1 || queryTimeoutMult < 1) {
            throw new IllegalArgumentException("event-buffer, query-buffer and query-timeout-mult must be positive");
        }
        if (userEventSizeLimit < 1 || userEventSizeLimit > USER_EVENT_SIZE_CAP) {
            throw new IllegalArgumentException("user-event-size-limit must be within 1.." + USER_EVENT_SIZE_CAP);
        }
        if (queryDirectLimit < 0 || eventDirectLimit < 0) {
            throw new IllegalArgumentException("query-direct-limit and event-direct-limit must not be negative");
        }
        if (broadcastTransmits < 1) {
            throw new IllegalArgumentException("broadcast-transmits must be at least 1");
        }
        if (querySizeLimit < 64 || queryResponseSizeLimit < 64) {
            throw new IllegalArgumentException("query size limits must be at least 64 bytes");
        }
    }

    /** The library defaults (Serf's {@code DefaultConfig}: no coalescing). */
    public static SerfConfig defaults() {
        return fromConfig(ConfigFactory.defaultReference());
    }

    /** Serf's agent settings: member and user events coalesced over 3 s with a 1 s quiescent period. */
    public static SerfConfig agentDefaults() {
        return defaults()
                .withCoalescing(Duration.ofSeconds(3), Duration.ofSeconds(1))
                .withUserCoalescing(Duration.ofSeconds(3), Duration.ofSeconds(1));
    }

    public static SerfConfig fromConfig(Config root) {
        Config c = root.withFallback(ConfigFactory.defaultReference()).getConfig("murmur.serf");
        return new SerfConfig(
                c.getDuration("coalesce-period"),
                c.getDuration("quiescent-period"),
                c.getDuration("user-coalesce-period"),
                c.getDuration("user-quiescent-period"),
                c.getDuration("reap-interval"),
                c.getDuration("reconnect-interval"),
                c.getDuration("reconnect-timeout"),
                c.getDuration("tombstone-timeout"),
                c.getDuration("recent-intent-timeout"),
                c.getInt("event-buffer"),
                c.getInt("query-buffer"),
                c.getInt("query-timeout-mult"),
                c.getInt("query-size-limit"),
                c.getInt("query-response-size-limit"),
                c.getInt("user-event-size-limit"),
                c.getDuration("broadcast-timeout"),
                c.getDuration("leave-propagate-delay"),
                c.getDuration("query-retry-interval"),
                c.getBoolean("rejoin-after-leave"),
                c.getBoolean("coordinates"),
                c.getInt("broadcast-transmits"),
                c.getInt("query-direct-limit"),
                c.getInt("event-direct-limit"));
    }

    public SerfConfig withCoalescing(Duration period, Duration quiescent) {
        return toBuilder().coalescePeriod(period).quiescentPeriod(quiescent).build();
    }

    public SerfConfig withUserCoalescing(Duration period, Duration quiescent) {
        return toBuilder()
                .userCoalescePeriod(period)
                .userQuiescentPeriod(quiescent)
                .build();
    }

    /** Faster reaping, for tests and small clusters: reap checks every {@code interval}, timeouts as given. */
    public SerfConfig withReaping(Duration interval, Duration reconnect, Duration tombstone) {
        return toBuilder()
                .reapInterval(interval)
                .reconnectTimeout(reconnect)
                .tombstoneTimeout(tombstone)
                .build();
    }

    public SerfConfig withReconnectInterval(Duration interval) {
        return toBuilder().reconnectInterval(interval).build();
    }

    public SerfConfig withRejoinAfterLeave(boolean rejoin) {
        return toBuilder().rejoinAfterLeave(rejoin).build();
    }

    /** A builder that starts from these settings; {@link Builder#build} validates the result. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.coalescePeriod = coalescePeriod;
        b.quiescentPeriod = quiescentPeriod;
        b.userCoalescePeriod = userCoalescePeriod;
        b.userQuiescentPeriod = userQuiescentPeriod;
        b.reapInterval = reapInterval;
        b.reconnectInterval = reconnectInterval;
        b.reconnectTimeout = reconnectTimeout;
        b.tombstoneTimeout = tombstoneTimeout;
        b.recentIntentTimeout = recentIntentTimeout;
        b.eventBuffer = eventBuffer;
        b.queryBuffer = queryBuffer;
        b.queryTimeoutMult = queryTimeoutMult;
        b.querySizeLimit = querySizeLimit;
        b.queryResponseSizeLimit = queryResponseSizeLimit;
        b.userEventSizeLimit = userEventSizeLimit;
        b.broadcastTimeout = broadcastTimeout;
        b.leavePropagateDelay = leavePropagateDelay;
        b.queryRetryInterval = queryRetryInterval;
        b.rejoinAfterLeave = rejoinAfterLeave;
        b.coordinates = coordinates;
        b.broadcastTransmits = broadcastTransmits;
        b.queryDirectLimit = queryDirectLimit;
        b.eventDirectLimit = eventDirectLimit;
        return b;
    }

    /** Adjusts some settings of a {@link SerfConfig}: {@code config.toBuilder().reapInterval(d).build()}. */
    public static final class Builder {
        private Duration coalescePeriod;
        private Duration quiescentPeriod;
        private Duration userCoalescePeriod;
        private Duration userQuiescentPeriod;
        private Duration reapInterval;
        private Duration reconnectInterval;
        private Duration reconnectTimeout;
        private Duration tombstoneTimeout;
        private Duration recentIntentTimeout;
        private int eventBuffer;
        private int queryBuffer;
        private int queryTimeoutMult;
        private int querySizeLimit;
        private int queryResponseSizeLimit;
        private int userEventSizeLimit;
        private Duration broadcastTimeout;
        private Duration leavePropagateDelay;
        private Duration queryRetryInterval;
        private boolean rejoinAfterLeave;
        private boolean coordinates;
        private int broadcastTransmits;
        private int queryDirectLimit;
        private int eventDirectLimit;

        private Builder() {}

        public Builder coalescePeriod(Duration value) {
            this.coalescePeriod = value;
            return this;
        }

        public Builder quiescentPeriod(Duration value) {
            this.quiescentPeriod = value;
            return this;
        }

        public Builder userCoalescePeriod(Duration value) {
            this.userCoalescePeriod = value;
            return this;
        }

        public Builder userQuiescentPeriod(Duration value) {
            this.userQuiescentPeriod = value;
            return this;
        }

        public Builder reapInterval(Duration value) {
            this.reapInterval = value;
            return this;
        }

        public Builder reconnectInterval(Duration value) {
            this.reconnectInterval = value;
            return this;
        }

        public Builder reconnectTimeout(Duration value) {
            this.reconnectTimeout = value;
            return this;
        }

        public Builder tombstoneTimeout(Duration value) {
            this.tombstoneTimeout = value;
            return this;
        }

        public Builder recentIntentTimeout(Duration value) {
            this.recentIntentTimeout = value;
            return this;
        }

        public Builder eventBuffer(int value) {
            this.eventBuffer = value;
            return this;
        }

        public Builder queryBuffer(int value) {
            this.queryBuffer = value;
            return this;
        }

        public Builder queryTimeoutMult(int value) {
            this.queryTimeoutMult = value;
            return this;
        }

        public Builder querySizeLimit(int value) {
            this.querySizeLimit = value;
            return this;
        }

        public Builder queryResponseSizeLimit(int value) {
            this.queryResponseSizeLimit = value;
            return this;
        }

        public Builder userEventSizeLimit(int value) {
            this.userEventSizeLimit = value;
            return this;
        }

        public Builder broadcastTimeout(Duration value) {
            this.broadcastTimeout = value;
            return this;
        }

        public Builder leavePropagateDelay(Duration value) {
            this.leavePropagateDelay = value;
            return this;
        }

        public Builder queryRetryInterval(Duration value) {
            this.queryRetryInterval = value;
            return this;
        }

        public Builder rejoinAfterLeave(boolean value) {
            this.rejoinAfterLeave = value;
            return this;
        }

        public Builder coordinates(boolean value) {
            this.coordinates = value;
            return this;
        }

        public Builder broadcastTransmits(int value) {
            this.broadcastTransmits = value;
            return this;
        }

        public Builder queryDirectLimit(int value) {
            this.queryDirectLimit = value;
            return this;
        }

        public Builder eventDirectLimit(int value) {
            this.eventDirectLimit = value;
            return this;
        }

        public SerfConfig build() {
            return new SerfConfig(
                    coalescePeriod,
                    quiescentPeriod,
                    userCoalescePeriod,
                    userQuiescentPeriod,
                    reapInterval,
                    reconnectInterval,
                    reconnectTimeout,
                    tombstoneTimeout,
                    recentIntentTimeout,
                    eventBuffer,
                    queryBuffer,
                    queryTimeoutMult,
                    querySizeLimit,
                    queryResponseSizeLimit,
                    userEventSizeLimit,
                    broadcastTimeout,
                    leavePropagateDelay,
                    queryRetryInterval,
                    rejoinAfterLeave,
                    coordinates,
                    broadcastTransmits,
                    queryDirectLimit,
                    eventDirectLimit);
        }
    }

    /**
     * Serf's default query timeout: {@code gossipInterval * queryTimeoutMult * ceil(log10(n + 1))} (3.2 s below 10
     * members with the LAN gossip interval of 200 ms).
     */
    public Duration defaultQueryTimeout(Duration gossipInterval, int n) {
        int scale = (int) Math.ceil(Math.log10(n + 1.0));
        return gossipInterval.multipliedBy((long) queryTimeoutMult * Math.max(1, scale));
    }
}
