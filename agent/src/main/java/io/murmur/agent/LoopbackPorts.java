package io.murmur.agent;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports for agents this JVM starts (the agents benchmark, process tests): the next ones free for both UDP
 * and TCP, from a block below Linux's ephemeral range (32768 and up), so that no socket the system numbers for itself
 * (Aeron's, a client's) takes one between the check and the agent's bind. An agent's gossip port needs both: Aeron and
 * memberlist use UDP, Serf's agent also TCP.
 */
final class LoopbackPorts {

    /** The first port of Linux's default ephemeral range ({@code net.ipv4.ip_local_port_range}). */
    static final int EPHEMERAL = 32768;

    private int next;

    /** @param first where to start looking */
    LoopbackPorts(int first) {
        if (first <= 0 || first >= EPHEMERAL) {
            throw new IllegalArgumentException("ports start below " + EPHEMERAL + ", not at " + first);
        }
        this.next = first;
    }

    /** The next port from where the last one left off that is free for both UDP and TCP on the loopback address. */
    synchronized int next() throws IOException {
        for (; next < EPHEMERAL; next++) {
            try (DatagramSocket u = new DatagramSocket(next, InetAddress.getLoopbackAddress());
                    ServerSocket t = new ServerSocket(next, 1, InetAddress.getLoopbackAddress())) {
                return next++;
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new IOException("no free loopback port left below " + EPHEMERAL);
    }
}
