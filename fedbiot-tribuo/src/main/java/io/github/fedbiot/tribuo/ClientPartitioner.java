/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.tribuo.Example;
import org.tribuo.classification.Label;

/** Splits examples into federated clients, deterministically for a given seed. */
public final class ClientPartitioner {
    private ClientPartitioner() {}

    /**
     * Shuffles the examples (Fisher-Yates with the seed) and deals them round-robin to {@code n} clients.
     *
     * @param examples the examples
     * @param n the number of clients, in [1, examples]
     * @param seed the shuffle seed
     * @return n non-empty client lists
     * @throws IllegalArgumentException if there are fewer examples than clients
     */
    public static List<List<Example<Label>>> iid(List<Example<Label>> examples, int n, long seed) {
        if (n < 1 || examples.size() < n) {
            throw new IllegalArgumentException("cannot split " + examples.size() + " examples into " + n
                    + " non-empty clients");
        }
        List<Example<Label>> shuffled = shuffle(examples, seed);
        List<List<Example<Label>>> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(new ArrayList<>());
        }
        for (int i = 0; i < shuffled.size(); i++) {
            clients.get(i % n).add(shuffled.get(i));
        }
        return clients;
    }

    /**
     * Groups the examples by the value of a metadata field, one client per value in the value's sort order.
     *
     * @param examples the examples
     * @param key the metadata field
     * @return one client list per distinct value
     * @throws IllegalArgumentException if an example lacks the field
     */
    public static List<List<Example<Label>>> byMetadata(List<Example<Label>> examples, String key) {
        Map<String, List<Example<Label>>> groups = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            Example<Label> e = examples.get(i);
            Object v = e.getMetadataValue(key).orElseThrow(() -> new IllegalArgumentException(
                    "example has no metadata '" + key + "' to partition by: " + e));
            groups.computeIfAbsent(v.toString(), x -> new ArrayList<>()).add(e);
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * Returns a shuffled copy (Fisher-Yates driven by the seed).
     *
     * @param <E> the element type
     * @param items the items
     * @param seed the seed
     * @return a new list
     */
    public static <E> List<E> shuffle(List<E> items, long seed) {
        List<E> out = new ArrayList<>(items);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            E tmp = out.get(i);
            out.set(i, out.get(j));
            out.set(j, tmp);
        }
        return out;
    }
}
