package io.murmur.membership;

import io.murmur.protocol.NodeState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashMap$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * An immutable snapshot of one node's member table, including dead and left members not yet forgotten. A new view
 * shares almost all of its structure with the one before it (a persistent hash map), so publishing a view on every
 * change costs O(log N), and holding one is free for the actors that read it.
 */
public final class MemberView {

    private static final MemberView EMPTY = new MemberView(HashMap$.MODULE$.empty(), 0, 0);

    private final HashMap<String, Member> members;
    private final int alive;
    private final int suspect;
    private volatile List<Member> sorted;

    private MemberView(HashMap<String, Member> members, int alive, int suspect) {
        this.members = members;
        this.alive = alive;
        this.suspect = suspect;
    }

    public static MemberView empty() {
        return EMPTY;
    }

    /** A view of these members (names must be distinct); how a simulated cluster starts converged. */
    public static MemberView of(Iterable<Member> members) {
        MemberView v = EMPTY;
        for (Member m : members) {
            if (v.contains(m.name())) {
                throw new IllegalArgumentException("duplicate member " + m.name());
            }
            v = v.with(m);
        }
        return v;
    }

    /** The view with {@code member} added or replaced. */
    MemberView with(Member member) {
        Member old = get(member.name()).orElse(null);
        return new MemberView(
                members.updated(member.name(), member),
                alive + count(member, NodeState.ALIVE) - count(old, NodeState.ALIVE),
                suspect + count(member, NodeState.SUSPECT) - count(old, NodeState.SUSPECT));
    }

    /** The view without the member called {@code name}. */
    MemberView without(String name) {
        Member old = get(name).orElse(null);
        if (old == null) {
            return this;
        }
        return new MemberView(
                members.removed(name), alive - count(old, NodeState.ALIVE), suspect - count(old, NodeState.SUSPECT));
    }

    private static int count(Member m, NodeState state) {
        return m != null && m.state() == state ? 1 : 0;
    }

    public Optional<Member> get(String name) {
        scala.Option<Member> m = members.get(name);
        return m.isDefined() ? Optional.of(m.get()) : Optional.empty();
    }

    /** The member called {@code name}, or null. */
    public Member getOrNull(String name) {
        scala.Option<Member> m = members.get(name);
        return m.isDefined() ? m.get() : null;
    }

    public boolean contains(String name) {
        return members.contains(name);
    }

    /** Every member the table holds, dead and left included (memberlist's {@code estNumNodes}). */
    public int size() {
        return members.size();
    }

    public int aliveCount() {
        return alive;
    }

    public int suspectCount() {
        return suspect;
    }

    /** Alive plus suspect: memberlist's {@code NumMembers()}. */
    public int liveCount() {
        return alive + suspect;
    }

    /**
     * Visits every member, dead and left included, in the map's own order (the same for the same members in every
     * run, but not sorted): O(N) and allocation-free, for hot paths that do not need {@link #all()}'s order.
     */
    public void forEach(java.util.function.Consumer<Member> action) {
        members.foreachEntry((name, member) -> {
            action.accept(member);
            return scala.runtime.BoxedUnit.UNIT;
        });
    }

    /** All members, dead and left included, sorted by name. Computed once per view. */
    public List<Member> all() {
        List<Member> s = sorted;
        if (s == null) {
            List<Member> list = new ArrayList<>(members.size());
            CollectionConverters.asJava(members.valuesIterator()).forEachRemaining(list::add);
            list.sort(Comparator.comparing(Member::name));
            s = Collections.unmodifiableList(list);
            sorted = s;
        }
        return s;
    }

    /** Alive and suspect members, sorted by name: memberlist's {@code Members()}. */
    public List<Member> live() {
        return all().stream().filter(Member::isLive).toList();
    }

    @Override
    public String toString() {
        return "MemberView(" + size() + " members, " + alive + " alive, " + suspect + " suspect)";
    }
}
