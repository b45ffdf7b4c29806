/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import io.github.fedbiot.model.LoraNames;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;

/**
 * Matmul FLOPs of a LLaMA-family decoder with LoRA on every layer, counted the usual way (2 FLOPs per
 * multiply-add, matmuls only; norms, softmax and element-wise work are not counted), so that an achieved rate can
 * be set against the matmul peak.
 *
 * <pre>
 * forward  F = B T [ L (2 d (H + 2 KV) hd + 2 H hd d + 6 d I + 4 T H hd + LoRA) + 2 d V ]
 *          where LoRA = sum over targets of 2 r (in + out); attention (4 T H hd) counts the full T x T
 *          scores, not the causal half.
 * training = 2 F_linear + 3 F_attention: the backward pass computes input gradients of every linear layer
 *          (frozen weights get no weight gradient) and two matmuls per attention matmul; LoRA weight
 *          gradients add one more LoRA-sized term.
 * </pre>
 */
public final class FlopCount {
    private FlopCount() {}

    /**
     * Returns the forward FLOPs of one batch.
     *
     * @param s the model
     * @param lora the LoRA settings (on every layer)
     * @param batch B
     * @param seq T
     * @return FLOPs
     */
    public static double forward(ModelSpec s, LoraSpec lora, int batch, int seq) {
        return linear(s, lora, batch, seq) + lora(s, lora, batch, seq) + attention(s, batch, seq);
    }

    /**
     * Returns the FLOPs of one LoRA training step (forward and backward; the optimiser's are negligible).
     *
     * @param s the model
     * @param lora the LoRA settings (trainable on every layer)
     * @param batch B
     * @param seq T
     * @return FLOPs
     */
    public static double trainingStep(ModelSpec s, LoraSpec lora, int batch, int seq) {
        return 2 * linear(s, lora, batch, seq) + 3 * lora(s, lora, batch, seq) + 3 * attention(s, batch, seq);
    }

    private static double linear(ModelSpec s, LoraSpec lora, int batch, int seq) {
        double tokens = (double) batch * seq;
        double d = s.hiddenSize();
        double hd = s.headDim();
        double perLayer = 2 * d * (s.numHeads() + 2.0 * s.numKvHeads()) * hd + 2 * s.numHeads() * hd * d
                + 6 * d * s.intermediateSize();
        return tokens * (s.numLayers() * perLayer + 2 * d * s.vocabSize());
    }

    private static double lora(ModelSpec s, LoraSpec lora, int batch, int seq) {
        double tokens = (double) batch * seq;
        double perLayer = 0;
        for (String t : lora.targets()) {
            int[] dims = LoraNames.moduleDims(s, t);
            perLayer += 2.0 * lora.rank() * (dims[0] + dims[1]);
        }
        return tokens * s.numLayers() * perLayer;
    }

    private static double attention(ModelSpec s, int batch, int seq) {
        return (double) batch * seq * s.numLayers() * 4.0 * seq * s.numHeads() * s.headDim();
    }
}
