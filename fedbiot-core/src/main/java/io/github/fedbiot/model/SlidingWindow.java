/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import java.util.List;
import java.util.TreeSet;

/**
 * Sliding-window ("banded causal") attention on some decoder layers, as Mistral and Qwen2 configure it.
 *
 * <p>In a sliding layer the query at absolute position {@code i} attends to the key at position {@code j} iff
 * {@code j <= i} and {@code i - j < size}: itself and the {@code size - 1} positions before it (transformers 5,
 * {@code masking_utils.sliding_window_overlay}: {@code kv_idx > q_idx - sliding_window}, and'ed with the causal
 * {@code kv_idx <= q_idx}). The other layers attend causally to every earlier position.
 *
 * @param size the window {@code sliding_window}, in positions, &gt; 0
 * @param layers the indices of the sliding layers (ascending, distinct, not empty); for Mistral all layers,
 *     for Qwen2 those whose {@code layer_types} entry is {@code sliding_attention}
 */
public record SlidingWindow(int size, List<Integer> layers) {

    /**
     * Validates and copies the layer list.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public SlidingWindow {
        if (size <= 0) {
            throw new IllegalArgumentException("sliding_window must be > 0 (found " + size + ")");
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("a sliding window needs at least one sliding layer");
        }
        layers = List.copyOf(layers);
        if (!List.copyOf(new TreeSet<>(layers)).equals(layers) || layers.get(0) < 0) {
            throw new IllegalArgumentException("sliding layers must be distinct indices >= 0 in ascending order "
                    + "(found " + layers + ")");
        }
    }

    /**
     * Returns whether a decoder layer uses the window.
     *
     * @param layer the layer index in the full model (a layer keeps its kind in any stack)
     * @return true for a sliding layer
     */
    public boolean slides(int layer) {
        return layers.contains(layer);
    }

    /**
     * Returns whether the window masks anything within {@code positions} positions: the band equals the plain
     * causal mask while every query sees at most {@code size} positions.
     *
     * @param positions the number of positions (cached plus new) a query can see at most
     * @return true if some key within the causal range falls out of the window
     */
    public boolean masksWithin(int positions) {
        return positions > size;
    }
}
