package io.murmur.simulation;

import io.murmur.membership.MemberEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Every member event one node published, in order, readable from the test thread. */
final class EventLog {
    private final List<MemberEvent> events = new CopyOnWriteArrayList<>();

    Behavior<MemberEvent> recorder() {
        return Behaviors.receiveMessage(e -> {
            events.add(e);
            return Behaviors.same();
        });
    }

    boolean any(Predicate<MemberEvent> p) {
        return events.stream().anyMatch(p);
    }

    List<MemberEvent> matching(Predicate<MemberEvent> p) {
        return events.stream().filter(p).toList();
    }

    /** How many events have been published so far: a mark for {@link #since}. */
    int size() {
        return events.size();
    }

    /** The events published after the first {@code mark}. */
    List<MemberEvent> since(int mark) {
        List<MemberEvent> all = all();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    List<MemberEvent> all() {
        return List.copyOf(events);
    }
}
