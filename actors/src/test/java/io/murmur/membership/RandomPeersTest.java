package io.murmur.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** memberlist's {@code kRandomNodes} and random insertion, with Murmur's completing scan. */
class RandomPeersTest {

    private static final List<String> TEN = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

    @Test
    void pickReturnsAtMostKDistinctEligibleNames() {
        for (long seed = 0; seed < 200; seed++) {
            List<String> picked = RandomPeers.pick(TEN, 3, n -> !n.equals("a"), new SplittableRandom(seed));
            assertEquals(3, picked.size(), "seed " + seed);
            assertEquals(3, new HashSet<>(picked).size(), "distinct, seed " + seed);
            assertTrue(!picked.contains("a"), "never an ineligible name, seed " + seed);
        }
    }

    @Test
    void pickReturnsEveryEligibleNameWhenThereAreFewerThanK() {
        for (long seed = 0; seed < 200; seed++) {
            List<String> picked =
                    RandomPeers.pick(TEN, 5, n -> n.equals("c") || n.equals("h"), new SplittableRandom(seed));
            assertEquals(Set.of("c", "h"), new HashSet<>(picked), "seed " + seed);
            assertEquals(2, picked.size());
        }
    }

    @Test
    void loneEligibleNameIsNeverMissed() {
        // With random draws alone, 6 draws out of 2 names miss the one eligible name 1 time in 64.
        for (long seed = 0; seed < 2_000; seed++) {
            assertEquals(
                    List.of("b"),
                    RandomPeers.pick(List.of("a", "b"), 1, "b"::equals, new SplittableRandom(seed)),
                    "seed " + seed);
        }
    }

    @Test
    void pickFromNothingOrOfNothingIsEmpty() {
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(List.of(), RandomPeers.pick(List.of(), 3, n -> true, random));
        assertEquals(List.of(), RandomPeers.pick(TEN, 0, n -> true, random));
        assertEquals(List.of(), RandomPeers.pick(TEN, 3, n -> false, random));
    }

    @Test
    void pickIsRoughlyUniform() {
        SplittableRandom random = new SplittableRandom(99);
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            for (String n : RandomPeers.pick(TEN, 1, x -> true, random)) {
                hits.merge(n, 1, Integer::sum);
            }
        }
        assertEquals(10, hits.size());
        hits.forEach((n, h) -> assertTrue(h > 850 && h < 1150, n + " picked " + h + " times of 10000"));
    }

    @Test
    void insertAtRandomKeepsEveryNameOnceAndReachesEveryPosition() {
        Set<Integer> positions = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            List<String> names = new ArrayList<>(List.of("a", "b", "c", "d"));
            RandomPeers.insertAtRandom(names, "new", new SplittableRandom(seed));
            assertEquals(Set.of("a", "b", "c", "d", "new"), new HashSet<>(names), "seed " + seed);
            assertEquals(5, names.size());
            positions.add(names.indexOf("new"));
        }
        assertEquals(Set.of(0, 1, 2, 3, 4), positions);
    }

    @Test
    void insertIntoEmptyList() {
        List<String> names = new ArrayList<>();
        RandomPeers.insertAtRandom(names, "only", new SplittableRandom(3));
        assertEquals(List.of("only"), names);
    }
}
