package io.murmur.membership;

/**
 * The packet size a node's cores fill: the configured {@code packet-size} less what the wire envelope adds (label and
 * encryption), so that a sealed packet never exceeds {@code packet-size}, as memberlist subtracts its label and
 * encryption overhead from {@code UDPBufferSize}.
 */
final class PacketBudget {

    private PacketBudget() {}

    /**
     * {@code config} with the packet size less {@code overhead}; {@code config} itself when there is none.
     *
     * @throws IllegalArgumentException when too little of the packet would be left
     */
    static MembershipConfig forCores(MembershipConfig config, int overhead) {
        if (overhead == 0) {
            return config;
        }
        try {
            return config.toBuilder().packetSize(config.packetSize() - overhead).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "packet-size " + config.packetSize() + " leaves too little room once the " + overhead
                            + " bytes of label and encryption are taken off",
                    e);
        }
    }
}
