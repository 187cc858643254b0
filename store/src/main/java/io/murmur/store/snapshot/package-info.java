/**
 * The serf snapshot: an append-only text file of member and clock records that lets a restarted node rejoin and
 * resume its Lamport clocks. {@link io.murmur.store.snapshot.SnapshotRecord} is the line format,
 * {@link io.murmur.store.snapshot.SnapshotReader} replays a file, {@link io.murmur.store.snapshot.SnapshotWriter}
 * appends and compacts.
 */
package io.murmur.store.snapshot;
