package io.murmur.serf;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coalesces member events (Serf §2.7): only the latest event type of each member counts, and a flush emits one
 * {@link SerfEvent.Members} per type with all its members. A type equal to the last one emitted for that member is
 * suppressed (a member that failed and came back within one window reports nothing new), except
 * {@link SerfEvent.Type#MEMBER_UPDATE}, which always passes since its tags may have changed again.
 *
 * <p>Flushed events come in {@link SerfEvent.Type} order; within one, members come in the order their latest event
 * arrived. The last emitted type is remembered per member name until the member is reaped (Serf remembers it for
 * ever; names that come and go would make that grow without bound).
 */
public final class MemberEventCoalescer implements Coalescer {

    private record Latest(SerfEvent.Type type, SerfMember member) {}

    private final Map<String, Latest> latest = new LinkedHashMap<>();
    private final Map<String, SerfEvent.Type> lastEmitted = new HashMap<>();

    @Override
    public boolean handles(SerfEvent event) {
        return event instanceof SerfEvent.Members;
    }

    @Override
    public void add(SerfEvent event) {
        if (!(event instanceof SerfEvent.Members members)) {
            throw new IllegalArgumentException("not a member event: " + event);
        }
        for (SerfMember member : members.members()) {
            // remove first so that the member moves to the end: arrival order of its latest event
            latest.remove(member.name());
            latest.put(member.name(), new Latest(members.type(), member));
        }
    }

    @Override
    public List<SerfEvent> flush() {
        Map<SerfEvent.Type, List<SerfMember>> byType = new EnumMap<>(SerfEvent.Type.class);
        for (Latest l : latest.values()) {
            String name = l.member().name();
            if (l.type() != SerfEvent.Type.MEMBER_UPDATE && lastEmitted.get(name) == l.type()) {
                continue;
            }
            if (l.type() == SerfEvent.Type.MEMBER_REAP) {
                lastEmitted.remove(name); // forgotten by the cluster: a later join is news
            } else {
                lastEmitted.put(name, l.type());
            }
            byType.computeIfAbsent(l.type(), t -> new ArrayList<>()).add(l.member());
        }
        latest.clear();
        List<SerfEvent> out = new ArrayList<>(byType.size());
        byType.forEach((type, members) -> out.add(new SerfEvent.Members(type, members)));
        return out;
    }

    @Override
    public boolean isEmpty() {
        return latest.isEmpty();
    }
}
