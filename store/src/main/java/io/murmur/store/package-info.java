/**
 * Durable files for Murmur behind a {@link io.murmur.store.FileSystem} (real or in memory). The serf snapshot lives
 * in {@code io.murmur.store.snapshot}, the keyring file in {@link io.murmur.store.KeyringFile}; the tags file and
 * ULID-ranged log segments come later.
 */
package io.murmur.store;
