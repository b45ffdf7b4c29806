/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys and values of past positions, one entry per layer of the stack being run, so that generation
 * processes only the new token at each step.
 */
public final class KvCache {
    /** The cache of one layer: keys and values {@code [B, Hkv, Tpast, dh]}. */
    public static final class Entry {
        private NDArray keys;
        private NDArray values;

        /**
         * Appends new keys and values and returns all of them.
         *
         * @param k new keys {@code [B, Hkv, T, dh]}
         * @param v new values {@code [B, Hkv, T, dh]}
         * @return {@code {keys, values}} over past and new positions
         */
        public NDArray[] append(NDArray k, NDArray v) {
            if (keys == null) {
                keys = k;
                values = v;
            } else {
                NDArray nk = keys.concat(k, 2);
                NDArray nv = values.concat(v, 2);
                keys.close();
                values.close();
                keys = nk;
                values = nv;
            }
            return new NDArray[] {keys, values};
        }
    }

    private final Entry[] entries;
    private int length;

    /**
     * Creates an empty cache.
     *
     * @param layers how many layers the stack runs
     */
    public KvCache(int layers) {
        entries = new Entry[layers];
        for (int i = 0; i < layers; i++) {
            entries[i] = new Entry();
        }
    }

    /**
     * Returns the entry of the i-th layer of the stack.
     *
     * @param i the position in the stack
     * @return the entry
     */
    public Entry entry(int i) {
        return entries[i];
    }

    /**
     * Returns the cached arrays of all layers.
     *
     * @return keys and values
     */
    public List<NDArray> arrays() {
        List<NDArray> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.keys != null) {
                out.add(e.keys);
                out.add(e.values);
            }
        }
        return out;
    }

    /**
     * Returns how many positions are cached.
     *
     * @return the length
     */
    public int length() {
        return length;
    }

    /**
     * Records that a forward pass added positions.
     *
     * @param n the number of new positions
     */
    public void advance(int n) {
        length += n;
    }
}
