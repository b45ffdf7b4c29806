/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.model.SlidingWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The masks by absolute position: query {@code p} sees key {@code j} iff {@code j <= p} and, in a sliding layer,
 * {@code p - j < window}, written out here cell by cell.
 */
class AttentionMaskTest {
    private static final SlidingWindow WINDOW = new SlidingWindow(3, List.of(1));

    @Test
    void prefillBandsSlidingLayersAndKeepsFullLayersCausal() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            AttentionMask masks = AttentionMask.create(m, 5, 0, WINDOW);
            assertThat(allowed(masks.forLayer(0))).isEqualTo(new String[] {
                "x....", "xx...", "xxx..", "xxxx.", "xxxxx"});
            assertThat(allowed(masks.forLayer(1))).isEqualTo(new String[] {
                "x....", "xx...", "xxx..", ".xxx.", "..xxx"});
        }
    }

    @Test
    void cachedStepsUseAbsolutePositions() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            // two new tokens at positions 4 and 5 over 4 cached ones
            AttentionMask two = AttentionMask.create(m, 2, 4, WINDOW);
            assertThat(allowed(two.forLayer(1))).isEqualTo(new String[] {"..xxx.", "...xxx"});
            assertThat(allowed(two.forLayer(0))).isEqualTo(new String[] {"xxxxx.", "xxxxxx"});
            // one new token at position 6: full layers need no mask, the sliding one masks keys 0..3
            AttentionMask one = AttentionMask.create(m, 1, 6, WINDOW);
            assertThat(one.forLayer(0)).isNull();
            assertThat(allowed(one.forLayer(1))).isEqualTo(new String[] {"....xxx"});
        }
    }

    @Test
    void aWindowNoQueryExceedsIsThePlainCausalMask() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            AttentionMask masks = AttentionMask.create(m, 3, 0, WINDOW);
            assertThat(masks.forLayer(1)).isSameAs(masks.forLayer(0));
            assertThat(AttentionMask.create(m, 1, 2, WINDOW).forLayer(1)).isNull(); // sees positions 0..2 = 3
            assertThat(AttentionMask.create(m, 1, 0, null).forLayer(1)).isNull();
            NDArray causal = AttentionMask.create(m, 4, 0, null).forLayer(1);
            assertThat(causal.getShape()).isEqualTo(new Shape(4, 4));
        }
    }

    /** Renders a {@code [T, Tk]} additive mask: x = attend (0), . = masked (minus infinity). */
    private static String[] allowed(NDArray mask) {
        int t = (int) mask.getShape().get(0);
        int tk = (int) mask.getShape().get(1);
        float[] v = mask.toFloatArray();
        String[] rows = new String[t];
        for (int i = 0; i < t; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < tk; j++) {
                float x = v[i * tk + j];
                assertThat(x == 0f || x == Float.NEGATIVE_INFINITY).as("cell %d,%d = %s", i, j, x).isTrue();
                sb.append(x == 0f ? 'x' : '.');
            }
            rows[i] = sb.toString();
        }
        return rows;
    }
}
