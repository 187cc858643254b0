package io.murmur.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * memberlist's {@code kRandomNodes}: up to k distinct eligible names by random draws (at most 3n of them). Unlike
 * memberlist, when the draws come up short a scan from a random offset completes the pick, so that a small cluster
 * with one eligible peer never misses it by bad luck (with n = 2 and one eligible peer, 6 draws miss it 1 time in 64).
 */
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
        if (picked.size() < k && n > 0) {
            int start = random.nextInt(n);
            for (int i = 0; i < n && picked.size() < k; i++) {
                String name = names.get((start + i) % n);
                if (!picked.contains(name) && eligible.test(name)) {
                    picked.add(name);
                }
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
