/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Fisher-Yates shuffling driven by a {@link SplittableRandom}, so that results depend only on the seed. */
final class Shuffle {
    private Shuffle() {}

    /**
     * Returns a shuffled copy.
     *
     * @param items the items
     * @param rng the generator
     * @param <T> the item type
     * @return a new list
     */
    static <T> List<T> copy(List<T> items, SplittableRandom rng) {
        List<T> out = new ArrayList<>(items);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }
}
