/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;

/**
 * What every layer of one forward pass shares, built once per pass: the batch geometry, the rotary
 * tables for positions {@code [offset, offset + seqLen)}, the attention masks, the training flag (LoRA dropout)
 * and the model's own dropout.
 *
 * @param batch B
 * @param seqLen T, the number of new positions
 * @param offset the number of positions already in the KV cache
 * @param cos rotary cosines {@code [T, dh]} (null for GPT-2)
 * @param sin rotary sines with the first half negated, {@code [T, dh]} (null for GPT-2)
 * @param cosQ {@code cos / sqrt(dh)}: the attention scale folded into the queries' rotation (null for GPT-2)
 * @param sinQ {@code sin / sqrt(dh)}, first half negated (null for GPT-2)
 * @param masks the additive masks {@code [T, offset + T]} of full and sliding layers
 * @param training whether LoRA dropout is active
 * @param dropout the config's dropout of this pass ({@link ModelDropout#NONE} in eval mode)
 */
public record ForwardContext(int batch, int seqLen, int offset, NDArray cos, NDArray sin, NDArray cosQ,
        NDArray sinQ, AttentionMask masks, boolean training, ModelDropout dropout) {

    /**
     * Returns the same pass without the model's dropout (LoRA dropout unchanged), for the frozen teacher of
     * emulator alignment.
     *
     * @return this context when it has no model dropout, else a copy with {@link ModelDropout#NONE}
     */
    public ForwardContext withoutModelDropout() {
        return dropout.active() ? new ForwardContext(batch, seqLen, offset, cos, sin, cosQ, sinQ, masks, training,
                ModelDropout.NONE) : this;
    }

    /**
     * Returns the attention mask of a decoder layer (causal, or banded for a sliding layer).
     *
     * @param layer the layer index in the full model
     * @return {@code [T, offset + T]}, or null when nothing is masked
     */
    public NDArray mask(int layer) {
        return masks.forLayer(layer);
    }
}
