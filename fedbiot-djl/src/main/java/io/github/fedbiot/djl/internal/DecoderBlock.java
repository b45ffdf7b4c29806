/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** One decoder layer of a model family: pre-norm attention and MLP, each with a residual connection. */
public interface DecoderBlock {

    /**
     * Runs the layer.
     *
     * @param x hidden states {@code [B, T, d]}
     * @param layer the layer index in the full model (selects its LoRA and its attention mask)
     * @param w the layer's frozen weights by name suffix
     * @param lora the LoRA of the call
     * @param ctx the pass's shared state
     * @param cache the layer's KV cache, or null
     * @return the new hidden states
     */
    NDArray forward(NDArray x, int layer, Map<String, NDArray> w, LoraSet lora, ForwardContext ctx,
            KvCache.Entry cache);

    /**
     * Scaled dot-product attention with grouped query heads under an additive mask (causal, or banded for a
     * sliding-window layer; see {@link AttentionMask}).
     *
     * @param q queries {@code [B, Hkv, G, T, dh]}
     * @param k keys {@code [B, Hkv, Tk, dh]}
     * @param v values {@code [B, Hkv, Tk, dh]}
     * @param mask additive mask {@code [T, Tk]} or null
     * @param scale {@code 1 / sqrt(dh)}, or 1 when the queries are already scaled
     * @param dropout the pass's dropout, applied to the probabilities (after the softmax, before the values)
     * @param layer the layer index in the full model (selects the dropout mask)
     * @return {@code [B, Hkv, G, T, dh]}
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, float scale, ModelDropout dropout,
            int layer) {
        // the G query heads of a KV head are folded into the rows ([B, Hkv, G*T, dh]), so each matmul is a
        // plain batched one and the keys and values are never broadcast (copied) G times
        ai.djl.ndarray.types.Shape qs = q.getShape();
        long b = qs.get(0);
        long hkv = qs.get(1);
        long g = qs.get(2);
        long t = qs.get(3);
        long dh = qs.get(4);
        long tk = k.getShape().get(2);
        NDArray rows = (scale == 1f ? q : q.mul(Ops.scalar(q, scale))).reshape(b, hkv, g * t, dh);
        NDArray scores = rows.matMul(k.transpose(0, 1, 3, 2));
        if (mask != null) {
            scores = scores.reshape(b, hkv, g, t, tk).addi(mask).reshape(b, hkv, g * t, tk);
        }
        return dropout.attentionProbs(layer, scores.softmax(-1)).matMul(v).reshape(b, hkv, g, t, dh);
    }
}
