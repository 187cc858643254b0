package io.murmur.membership;

/** A change in membership as an application sees it: memberlist's NotifyJoin / NotifyLeave / NotifyUpdate. */
public record MemberEvent(Type type, Member member) {

    public enum Type {
        /** A member appeared, or came back after being dead or left. */
        JOIN,
        /** A member left gracefully. */
        LEAVE,
        /** A member was declared dead by failure detection. */
        FAILED,
        /** A member's metadata changed. */
        UPDATE
    }

    @Override
    public String toString() {
        return type + " " + member.name() + " (" + member.address() + ", incarnation " + member.incarnation() + ")";
    }
}
