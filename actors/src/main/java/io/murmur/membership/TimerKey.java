package io.murmur.membership;

/**
 * A core's timer. A core asks for one with {@link Effect.StartTimer}; when it fires, the key is handed back to the
 * core. Starting a timer with a key that is already running replaces it.
 */
public interface TimerKey {}
