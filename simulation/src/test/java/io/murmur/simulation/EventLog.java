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

    List<MemberEvent> all() {
        return List.copyOf(events);
    }
}
