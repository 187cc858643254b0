/**
 * Durable files for Murmur: the serf snapshot, keyring and tags files, and ULID-ranged log segments. Reserved by
 * the membership issue; its first users are the serf layer's snapshotter and the log store.
 */
package io.murmur.store;
