package io.murmur.serf;

import java.util.OptionalLong;

/**
 * What Serf's {@code Stats()} reports about a node besides its member counts, in Serf's meaning (reference §2.13
 * {@code stats}: the {@code serf} section that {@code serf info} prints).
 *
 * @param healthScore Lifeguard's local health score of the membership node underneath (0 is healthy; memberlist's
 *     {@code GetHealthScore})
 * @param memberTime the member Lamport clock, which orders join and leave intents
 * @param eventTime the user-event Lamport clock
 * @param queryTime the query Lamport clock
 * @param intentQueue join and leave intents waiting to be gossiped
 * @param eventQueue user events waiting to be gossiped
 * @param queryQueue queries waiting to be gossiped
 * @param coordinateResets times this node's network coordinate went invalid and started over; empty when the node
 *     computes no coordinates (Serf then leaves {@code coordinate_resets} out)
 */
public record SerfInfo(
        int healthScore,
        long memberTime,
        long eventTime,
        long queryTime,
        int intentQueue,
        int eventQueue,
        int queryQueue,
        OptionalLong coordinateResets) {}
