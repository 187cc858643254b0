package io.murmur.simulation;

/**
 * What work costs when the simulated nodes are N node actors in one JVM on one machine, as in {@code murmur bench
 * membership}: every piece of work a node does (a packet it handles, a timer, one side of a push/pull) costs CPU time
 * that grows with the bytes it decodes and encodes, a node does one piece at a time (an actor handles one message at a
 * time), and all nodes share {@code cores} cores, first come first served. What a piece of work sends leaves when the
 * work has spent what it cost so far, so a busy machine delays every hop, as it does for the real nodes.
 *
 * <p>Off by default: the simulator's usual nodes have a machine each and work costs them nothing.
 *
 * @param cores cores shared by all nodes
 * @param perWorkNanos fixed cost of one piece of work (an actor message handled, with its dispatch and the
 *     transport's per-packet work)
 * @param perByteNanos cost of each byte a piece of work receives or sends (decoding, merging, encoding, copying)
 * @param coldStartNanos CPU time a freshly started JVM spends besides the nodes' work once they get busy (chiefly the
 *     JIT compiling their code paths), on one core from time 0; 0 for a warm JVM
 */
public record CpuModel(int cores, long perWorkNanos, double perByteNanos, long coldStartNanos) {

    /** A warm JVM: no start-up work competes with the nodes. */
    public CpuModel(int cores, long perWorkNanos, double perByteNanos) {
        this(cores, perWorkNanos, perByteNanos, 0);
    }

    public CpuModel {
        if (cores < 1) {
            throw new IllegalArgumentException("cores < 1");
        }
        if (perWorkNanos < 0 || !(perByteNanos >= 0) || coldStartNanos < 0) {
            throw new IllegalArgumentException("costs must not be negative");
        }
    }

    /** The CPU time of a piece of work that receives {@code bytes} (0 for a timer). */
    long work(int bytes) {
        return perWorkNanos + (long) (perByteNanos * bytes);
    }

    /** The CPU time of sending {@code bytes} from within a piece of work. */
    long send(int bytes) {
        return (long) (perByteNanos * bytes);
    }
}
