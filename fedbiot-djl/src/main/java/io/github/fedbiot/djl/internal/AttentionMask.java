/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.model.SlidingWindow;

/**
 * The additive attention masks of one forward pass, {@code [T, Tk]} with {@code Tk = offset + T}: 0 where a
 * query may attend, minus infinity where not. Query row {@code i} is the token at absolute position
 * {@code p = offset + i}; key column {@code j} is absolute position {@code j}, because the KV cache keeps every
 * past position (of a sliding layer too) and the mask, not the cache, cuts the window.
 *
 * <ul>
 *   <li>full layers: {@code j <= p} (causal);
 *   <li>sliding layers: {@code j <= p} and {@code p - j < window}, transformers 5's
 *       {@code sliding_window_causal_mask_function} ({@code kv_idx > q_idx - sliding_window} and causal).
 * </ul>
 *
 * <p>A mask that masks nothing is null (one new query over the cache, or a window no query can exceed), so
 * attention skips the addition. Batches are right-padded: a padding position only ever follows the real tokens
 * of its row, so the causal and banded masks already keep it out of every real position's attention, and no
 * separate padding mask is needed.
 */
public final class AttentionMask {
    private final NDArray causal;
    private final NDArray sliding;
    private final SlidingWindow window;

    private AttentionMask(NDArray causal, NDArray sliding, SlidingWindow window) {
        this.causal = causal;
        this.sliding = sliding;
        this.window = window;
    }

    /**
     * Builds the masks of a pass.
     *
     * @param m the pass's manager
     * @param seqLen T, the new positions
     * @param offset the positions already cached
     * @param window the model's sliding window, or null
     * @return the masks
     */
    public static AttentionMask create(NDManager m, int seqLen, int offset, SlidingWindow window) {
        NDArray causal = seqLen > 1 ? band(m, seqLen, offset, Integer.MAX_VALUE) : null;
        // the last query sees offset + T positions; only beyond the window does the band differ from causal
        boolean banded = window != null && window.masksWithin(offset + seqLen);
        NDArray sliding = banded ? band(m, seqLen, offset, window.size()) : causal;
        return new AttentionMask(causal, sliding, window);
    }

    /**
     * Returns the mask of a decoder layer: the band for a sliding layer, else the causal mask.
     *
     * @param layer the layer index in the full model (a layer keeps its kind in any stack)
     * @return {@code [T, Tk]}, or null when nothing is masked
     */
    public NDArray forLayer(int layer) {
        return window != null && window.slides(layer) ? sliding : causal;
    }

    /**
     * Returns the additive mask allowing {@code j <= p && p - j < width} for {@code p = offset + i}.
     *
     * @param width the window, or {@link Integer#MAX_VALUE} for plain causal attention
     */
    static NDArray band(NDManager m, int seqLen, int offset, int width) {
        int tk = offset + seqLen;
        float[] mk = new float[seqLen * tk];
        for (int i = 0; i < seqLen; i++) {
            int p = offset + i;
            for (int j = 0; j < tk; j++) {
                if (j > p || (long) p - j >= width) {
                    mk[i * tk + j] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return Ops.owned(m, mk, new Shape(seqLen, tk)); // PyTorch-owned: autograd may keep it (see Ops.owned)
    }
}
