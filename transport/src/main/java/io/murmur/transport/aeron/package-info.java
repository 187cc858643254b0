/**
 * The Aeron UDP implementation of {@link io.murmur.transport.Transport}.
 *
 * <p>Start with {@link io.murmur.transport.aeron.AeronMedia} (the JVM's one embedded driver, client and poller thread,
 * reference-counted) and {@link io.murmur.transport.aeron.AeronTransport} (one node's endpoint). Inside:
 * {@code Channels} names the URIs and streams, {@code Envelope} the bytes in front of every frame, {@code Routes} /
 * {@code PacketRoute} / {@code StreamRoute} the shared publications with their held packets and chunked messages,
 * {@code NodeReceiver} the inbound side, {@code ChunkReassembly} the bounded reassembly, and {@code MediaPoller} the duty
 * cycle that drives them all.
 */
package io.murmur.transport.aeron;
