package io.murmur.store.snapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@link SnapshotState} being built by replay or kept by the writer; records apply to it one at a time. */
final class LiveState {

    private final LinkedHashMap<String, String> alive;
    private long clock;
    private long eventClock;
    private long queryClock;
    private boolean leftCleanly;

    LiveState(SnapshotState from) {
        alive = new LinkedHashMap<>(from.alive());
        clock = from.clock();
        eventClock = from.eventClock();
        queryClock = from.queryClock();
        leftCleanly = from.leftCleanly();
    }

    /** Applies {@code record}; returns whether the state changed (a comment never changes it). */
    boolean apply(SnapshotRecord record) {
        if (record instanceof SnapshotRecord.Alive a) {
            boolean changed = leftCleanly || !a.address().equals(alive.get(a.name()));
            alive.put(a.name(), a.address());
            leftCleanly = false;
            return changed;
        } else if (record instanceof SnapshotRecord.NotAlive n) {
            return alive.remove(n.name()) != null;
        } else if (record instanceof SnapshotRecord.Clock c) {
            boolean changed = c.value() != clock;
            clock = c.value();
            return changed;
        } else if (record instanceof SnapshotRecord.EventClock c) {
            boolean changed = c.value() != eventClock;
            eventClock = c.value();
            return changed;
        } else if (record instanceof SnapshotRecord.QueryClock c) {
            boolean changed = c.value() != queryClock;
            queryClock = c.value();
            return changed;
        } else if (record instanceof SnapshotRecord.Leave) {
            boolean changed = !leftCleanly;
            leftCleanly = true;
            return changed;
        }
        return false; // Comment
    }

    int aliveCount() {
        return alive.size();
    }

    SnapshotState snapshot() {
        return new SnapshotState(alive, clock, eventClock, queryClock, leftCleanly);
    }

    /** The shortest records that replay, from empty, to this state: alive members, the three clocks, leave. */
    List<SnapshotRecord> compacted() {
        List<SnapshotRecord> records = new ArrayList<>(alive.size() + 4);
        for (Map.Entry<String, String> member : alive.entrySet()) {
            records.add(new SnapshotRecord.Alive(member.getKey(), member.getValue()));
        }
        records.add(new SnapshotRecord.Clock(clock));
        records.add(new SnapshotRecord.EventClock(eventClock));
        records.add(new SnapshotRecord.QueryClock(queryClock));
        if (leftCleanly) {
            records.add(SnapshotRecord.Leave.INSTANCE);
        }
        return records;
    }
}
