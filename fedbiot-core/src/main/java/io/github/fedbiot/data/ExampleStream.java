/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An endless, seeded stream over a list: epoch {@code e} visits every item once in a permutation drawn from
 * {@code seed} and {@code e}. The stream's whole state is its position (items handed out so far), so saving
 * {@link #position()} and restoring it with {@link #seek(long)} continues with exactly the same items, which
 * is what checkpoints rely on.
 *
 * @param <T> the item type
 */
public final class ExampleStream<T> {
    private final List<T> items;
    private final long seed;
    private long position;
    private long permutationEpoch = -1;
    private int[] permutation;

    /**
     * Creates a stream at position 0.
     *
     * @param items the items, at least one
     * @param seed the shuffle seed
     */
    public ExampleStream(List<T> items, long seed) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a stream needs at least one item");
        }
        this.items = List.copyOf(items);
        this.seed = seed;
    }

    /**
     * Returns the next {@code n} items, wrapping into new epochs as needed.
     *
     * @param n how many
     * @return the items
     */
    public List<T> next(int n) {
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long epoch = position / items.size();
            int index = (int) (position % items.size());
            if (epoch != permutationEpoch) {
                permutation = permutation(epoch);
                permutationEpoch = epoch;
            }
            out.add(items.get(permutation[index]));
            position++;
        }
        return out;
    }

    /** Returns how many items were handed out. @return the position */
    public long position() {
        return position;
    }

    /**
     * Moves to a position (e.g. one restored from a checkpoint).
     *
     * @param pos the position, at least 0
     */
    public void seek(long pos) {
        if (pos < 0) {
            throw new IllegalArgumentException("position must be >= 0 (found " + pos + ")");
        }
        position = pos;
    }

    /** Returns the number of distinct items. @return the size */
    public int size() {
        return items.size();
    }

    private int[] permutation(long epoch) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] p = new int[items.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        for (int i = p.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
