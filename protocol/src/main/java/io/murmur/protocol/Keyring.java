package io.murmur.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The AES keys a node encrypts and decrypts gossip with, as memberlist keeps them: one <em>primary</em> key, the only
 * one used to encrypt, and any number of <em>secondary</em> keys, tried after the primary when decrypting. Rotating a
 * key across a cluster is install everywhere, then use everywhere, then remove the old one everywhere.
 *
 * <p>A key is 16, 24 or 32 bytes (AES-128, -192 or -256). A keyring always has a primary key: a node without
 * encryption has no keyring at all. Keys are compared by content and never shared: every key handed in is copied, and
 * every key handed out is a copy.
 *
 * <p>Thread-safe: the keys are an immutable snapshot swapped atomically, so a reader on another thread (the transport
 * decrypting a packet) sees the keyring before or after a change, never half of one.
 *
 * <p>Error messages never contain key material.
 */
public final class Keyring {

    private final AtomicReference<List<byte[]>> keys; // primary first; the list and its arrays are never changed

    private Keyring(List<byte[]> keys) {
        this.keys = new AtomicReference<>(keys);
    }

    /**
     * A keyring holding {@code keys}, the first of them primary. A key listed twice is kept once (as memberlist's
     * {@code NewKeyring} adds them one by one).
     *
     * @throws IllegalArgumentException when {@code keys} is empty or a key has a length AES does not take
     */
    public static Keyring of(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a keyring needs at least one key, its primary key");
        }
        List<byte[]> state = List.of(copyOfValid(keys.get(0)));
        for (byte[] key : keys.subList(1, keys.size())) {
            state = withInstalled(state, key);
        }
        return new Keyring(state);
    }

    /**
     * Adds {@code key} as a secondary key; installing a key the keyring already holds changes nothing.
     *
     * @throws IllegalArgumentException when the key's length is not 16, 24 or 32 bytes
     */
    public void install(byte[] key) {
        copyOfValid(key); // fail before touching the state
        update(state -> withInstalled(state, key));
    }

    /**
     * Makes the installed {@code key} the primary key; the old primary stays as a secondary key.
     *
     * @throws IllegalArgumentException when the key's length is wrong or the key is not installed
     */
    public void use(byte[] key) {
        copyOfValid(key);
        update(state -> {
            int i = indexOf(state, key);
            if (i < 0) {
                throw new IllegalArgumentException("the key is not installed in the keyring; install it first");
            }
            List<byte[]> next = new ArrayList<>(state);
            next.add(0, next.remove(i));
            return List.copyOf(next);
        });
    }

    /**
     * Removes the secondary {@code key}; removing a key the keyring does not hold changes nothing.
     *
     * @throws IllegalArgumentException when the key's length is wrong or the key is the primary key
     */
    public void remove(byte[] key) {
        copyOfValid(key);
        update(state -> {
            int i = indexOf(state, key);
            if (i == 0) {
                throw new IllegalArgumentException("the primary key cannot be removed; use another key first");
            }
            if (i < 0) {
                return state;
            }
            List<byte[]> next = new ArrayList<>(state);
            next.remove(i);
            return List.copyOf(next);
        });
    }

    /** A copy of the primary key, the one to encrypt with. */
    public byte[] primary() {
        return keys.get().get(0).clone();
    }

    /** Copies of all keys, the primary first, then the secondary keys in the order they were installed. */
    public List<byte[]> keys() {
        return keys.get().stream().map(byte[]::clone).toList();
    }

    /** Whether {@code key} is installed, as primary or secondary. */
    public boolean contains(byte[] key) {
        return indexOf(keys.get(), key) >= 0;
    }

    /**
     * The current keys themselves, primary first, for the wire layer of this package: never copied, never changed (a
     * change swaps in a new list), so callers may cache what they derive from one snapshot by its identity.
     */
    List<byte[]> snapshot() {
        return keys.get();
    }

    /** The number of installed keys, the primary included. */
    public int size() {
        return keys.get().size();
    }

    /**
     * The key written in standard base64 (as Serf's CLI, keyring file and key queries carry it).
     *
     * @throws IllegalArgumentException when the text is not base64 or the key it holds has a length AES does not take
     */
    public static byte[] decodeKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            // the JDK's message names the bad character or the bad ending, never the key
            throw new IllegalArgumentException("a key must be standard base64: " + e.getMessage(), e);
        }
        return copyOfValid(key);
    }

    /** The key in standard base64, with padding. */
    public static String encodeKey(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    /** Says how many keys there are, never what they are. */
    @Override
    public String toString() {
        return "Keyring[" + size() + " keys]";
    }

    private void update(UnaryOperator<List<byte[]>> change) {
        keys.updateAndGet(change); // change is pure, so a retry after a lost race is harmless
    }

    private static List<byte[]> withInstalled(List<byte[]> state, byte[] key) {
        if (indexOf(state, key) >= 0) {
            return state;
        }
        List<byte[]> next = new ArrayList<>(state);
        next.add(copyOfValid(key));
        return List.copyOf(next);
    }

    private static int indexOf(List<byte[]> state, byte[] key) {
        for (int i = 0; i < state.size(); i++) {
            if (Arrays.equals(state.get(i), key)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] copyOfValid(byte[] key) {
        int n = key.length;
        if (n != 16 && n != 24 && n != 32) {
            throw new IllegalArgumentException(
                    "a key must be 16, 24 or 32 bytes (AES-128, AES-192 or AES-256), not " + n + " bytes");
        }
        return key.clone();
    }
}
