package io.murmur.membership;

import io.murmur.protocol.Message;
import io.murmur.protocol.Message.Ack;
import io.murmur.protocol.Message.Alive;
import io.murmur.protocol.Message.Dead;
import io.murmur.protocol.Message.IndirectPing;
import io.murmur.protocol.Message.Nack;
import io.murmur.protocol.Message.Ping;
import io.murmur.protocol.Message.Suspect;
import io.murmur.protocol.Message.UserMessage;

/** Which part of a node a message that arrived in a packet is for. */
public enum Concern {
    /** Ping, indirect ping, ack, nack: the prober. */
    PROBE,
    /** Alive, suspect, dead: the member table. */
    MEMBERSHIP,
    /** A user message: the application. */
    USER,
    /** Nothing that may arrive in a packet (a push/pull belongs on the reliable path; a compound is unpacked first). */
    NONE;

    public static Concern of(Message m) {
        if (m instanceof Ping || m instanceof IndirectPing || m instanceof Ack || m instanceof Nack) {
            return PROBE;
        } else if (m instanceof Alive || m instanceof Suspect || m instanceof Dead) {
            return MEMBERSHIP;
        } else if (m instanceof UserMessage) {
            return USER;
        }
        return NONE;
    }
}
