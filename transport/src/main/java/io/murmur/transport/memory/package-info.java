/**
 * The {@link io.murmur.transport.Transport} SPI in memory, for tests: {@link io.murmur.transport.memory.MemoryNetwork}
 * binds {@link io.murmur.transport.memory.MemoryTransport}s that deliver to each other through method calls, with the
 * simulator's fault model switchable at any moment: link cuts and partitions, uniform and bursty loss, duplication,
 * reordering, latency distributions ({@link io.murmur.transport.memory.PacketDelay}), bandwidth caps, slow receivers,
 * and node pauses. Start with {@code MemoryNetwork}'s class comment.
 */
package io.murmur.transport.memory;
