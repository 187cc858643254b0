package io.murmur.agent;

import java.io.IOException;

/**
 * Ports for the agents and servers a test starts as processes: {@link LoopbackPorts} from a block of its own below
 * the ephemeral range (the agents benchmark starts at 21000). Each test JVM starts at its own place in the block, so
 * that builds running side by side seldom even try the same ports.
 */
final class FreePorts {

    private static final LoopbackPorts PORTS =
            new LoopbackPorts(22000 + (int) (ProcessHandle.current().pid() % 50) * 200);

    private FreePorts() {}

    /** A loopback port that was free for both UDP and TCP, and that no other test of this JVM is given. */
    static int next() throws IOException {
        return PORTS.next();
    }
}
