package io.murmur.simulation;

/**
 * What work costs when the simulated nodes are N node actors in one JVM on one machine, as in {@code murmur bench
 * membership}: every piece of work a node does (a packet it handles, a timer, one side of a push/pull) costs CPU time
 * that grows with the bytes it decodes and encodes, a node does one piece at a time (an actor handles one message at a
 * time), and all nodes share {@code cores} cores, first come first served. What a piece of work sends leaves when the
 * work has spent what it cost so far, so a busy machine delays every hop, as it does for the real nodes.
 *
 * <p>Besides the nodes, the transport (Aeron's driver and the poller, threads of their own) spends CPU on every packet
 * that arrives: it holds a core as the nodes do, but no node waits for it.
 *
 * <p>Off by default: the simulator's usual nodes have a machine each and work costs them nothing.
 *
 * @param cores cores shared by all nodes and the transport
 * @param coldStartNanos CPU time a freshly started JVM spends besides the nodes' work once they get busy (chiefly the
 *     JIT compiling their code paths), on one core from time 0; 0 for a warm JVM
 * @param nodes what a node's piece of work costs
 * @param transport what the transport spends on each packet or stream part that arrives ({@link Cost#NONE}: nothing)
 */
public record CpuModel(int cores, long coldStartNanos, Cost nodes, Cost transport) {

    /**
     * The cost of one piece of work.
     *
     * @param perPieceNanos fixed cost of one piece (for a node: an actor message handled, with its dispatch)
     * @param perByteNanos cost of each byte the piece receives or sends (decoding, merging, encoding, copying)
     * @param coldPacketNanos what the first packet or stream part the JVM handles costs on top, while the code that
     *     handles it still runs interpreted; 0 for a warm JVM
     * @param warmAfterPackets how fast that extra cost fades as the JIT compiles the paths: it is {@code
     *     coldPacketNanos × e^(−k / warmAfterPackets)} for the k-th packet the machine handles
     */
    public record Cost(long perPieceNanos, double perByteNanos, long coldPacketNanos, long warmAfterPackets) {

        /** Costs nothing. */
        public static final Cost NONE = new Cost(0, 0, 0, 1);

        public Cost {
            if (perPieceNanos < 0 || !(perByteNanos >= 0) || coldPacketNanos < 0) {
                throw new IllegalArgumentException("costs must not be negative");
            }
            if (warmAfterPackets < 1) {
                throw new IllegalArgumentException("warmAfterPackets < 1");
            }
        }

        /** The cost of a piece that handles {@code bytes}, after {@code packetsBefore} packets on this machine. */
        long of(int bytes, boolean packet, long packetsBefore) {
            long cost = perPieceNanos + (long) (perByteNanos * bytes);
            if (packet && coldPacketNanos > 0) {
                cost += (long) (coldPacketNanos * Math.exp(-(double) packetsBefore / warmAfterPackets));
            }
            return cost;
        }
    }

    /** A warm JVM whose transport costs nothing: a node's piece costs {@code perWorkNanos} and its bytes. */
    public CpuModel(int cores, long perWorkNanos, double perByteNanos) {
        this(cores, perWorkNanos, perByteNanos, 0);
    }

    /** As {@link #CpuModel(int, long, double)}, with the compiler holding one core for {@code coldStartNanos}. */
    public CpuModel(int cores, long perWorkNanos, double perByteNanos, long coldStartNanos) {
        this(cores, coldStartNanos, new Cost(perWorkNanos, perByteNanos, 0, 1), Cost.NONE);
    }

    public CpuModel {
        if (cores < 1) {
            throw new IllegalArgumentException("cores < 1");
        }
        if (coldStartNanos < 0) {
            throw new IllegalArgumentException("costs must not be negative");
        }
    }

    /** This model with the nodes' packet paths cold at the start: see {@link Cost#coldPacketNanos}. */
    public CpuModel withColdPackets(long coldPacketNanos, long warmAfterPackets) {
        return new CpuModel(
                cores,
                coldStartNanos,
                new Cost(nodes.perPieceNanos, nodes.perByteNanos, coldPacketNanos, warmAfterPackets),
                transport);
    }

    /** This model with the transport's cost per packet that arrives. */
    public CpuModel withTransport(Cost transport) {
        return new CpuModel(cores, coldStartNanos, nodes, transport);
    }

    /** The CPU time of a node's piece of work that receives {@code bytes} (0 for a timer). */
    long work(int bytes, boolean packet, long packetsBefore) {
        return nodes.of(bytes, packet, packetsBefore);
    }

    /** The CPU time of sending {@code bytes} from within a node's piece of work. */
    long send(int bytes) {
        return (long) (nodes.perByteNanos * bytes);
    }

    /** Whether the transport's own work is modelled. */
    boolean chargesTransport() {
        return !transport.equals(Cost.NONE);
    }
}
