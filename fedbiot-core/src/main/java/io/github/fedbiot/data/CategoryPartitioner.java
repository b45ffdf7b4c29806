/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client per category, clients ordered by category name; each client's examples keep their file order.
 * This is the reference code's {@code meta} splitter (Dolly: 8 categories, Rosetta code: 9 languages), the
 * paper's non-iid setting. The seed is not used: the partition is fully determined by the categories.
 */
public final class CategoryPartitioner implements Partitioner {

    /** {@inheritDoc} */
    @Override
    public List<List<InstructionExample>> partition(List<InstructionExample> examples, long seed) {
        Map<String, List<InstructionExample>> byCategory = groupByCategory(examples);
        return byCategory.values().stream().map(List::copyOf).toList();
    }

    /**
     * Groups examples by category, sorted by category name.
     *
     * @param examples the examples, each with a category
     * @return category to its examples (file order)
     * @throws ConfigException naming {@code data.partition} if an example has no category
     */
    static Map<String, List<InstructionExample>> groupByCategory(List<InstructionExample> examples) {
        Map<String, List<InstructionExample>> byCategory = new TreeMap<>();
        long missing = 0;
        for (InstructionExample e : examples) {
            if (e.category().isEmpty()) {
                missing++;
            } else {
                byCategory.computeIfAbsent(e.category(), k -> new ArrayList<>()).add(e);
            }
        }
        ConfigException.require(missing == 0, "data.partition", missing + " of " + examples.size()
                + " examples without a category", "needs a category on every example (use iid otherwise)");
        return byCategory;
    }

    /**
     * Returns the names of the categories in client order.
     *
     * @param examples the examples
     * @return sorted category names
     */
    public static List<String> categories(List<InstructionExample> examples) {
        return List.copyOf(groupByCategory(examples).keySet());
    }
}
