package io.murmur.serf;

import io.murmur.protocol.Bytes;

/**
 * Serf's name-conflict vote, counted at the node whose name is claimed from another address: every member answers
 * {@code _serf_conflict} with the address it knows for the name, and the node keeps its name when a majority of the
 * answers name its own address.
 */
final class NameConflictVote {

    private final Bytes ourAddress;
    private int answers;
    private int ours;

    NameConflictVote(String ourAddress) {
        this.ourAddress = Bytes.utf8(ourAddress);
    }

    void count(Bytes answer) {
        answers++;
        if (answer.equals(ourAddress)) {
            ours++;
        }
    }

    int answers() {
        return answers;
    }

    int ours() {
        return ours;
    }

    /** True unless some members answered and most of them know another address. */
    boolean keepsName() {
        return answers == 0 || ours >= answers / 2 + 1;
    }
}
