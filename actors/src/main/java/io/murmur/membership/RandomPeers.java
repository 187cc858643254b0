package io.murmur.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/** memberlist's {@code kRandomNodes}: up to k distinct eligible names, found with at most 3n random draws. */
final class RandomPeers {
    private RandomPeers() {}

    static List<String> pick(List<String> names, int k, Predicate<String> eligible, RandomGenerator random) {
        int n = names.size();
        List<String> picked = new ArrayList<>(Math.min(k, n));
        for (int i = 0; i < 3 * n && picked.size() < k; i++) {
            String name = names.get(random.nextInt(n));
            if (!picked.contains(name) && eligible.test(name)) {
                picked.add(name);
            }
        }
        return picked;
    }

    /** Appends {@code name} and swaps it with a random position, as memberlist inserts new nodes. */
    static void insertAtRandom(List<String> names, String name, RandomGenerator random) {
        names.add(name);
        int last = names.size() - 1;
        int offset = random.nextInt(names.size());
        names.set(last, names.get(offset));
        names.set(offset, name);
    }
}
