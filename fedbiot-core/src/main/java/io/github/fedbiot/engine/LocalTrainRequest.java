/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/**
 * A client's local training: causal-LM cross-entropy on response tokens over the layers {@code stack}, with
 * only {@code trainableLora} updated, plus the proximal term
 * {@code proximalWeight * sum ||merged(W) - merged(W_start)||^2} over the adapted modules of the trainable
 * LoRA (merged = base weight + scaling * B A, W_start = the values at the start of the call).
 *
 * <p>Each element of {@code steps} is one optimizer step; its batches are micro-batches whose gradients are
 * accumulated (each loss divided by their number). A fresh AdamW state is used.
 *
 * @param stack the decoder layers to run, in order (e.g. the compressed model's)
 * @param lora the LoRA settings (scaling, dropout)
 * @param frozenLora LoRA tensors applied but not trained (e.g. the emulator's)
 * @param trainableLora LoRA tensors trained (e.g. the adapter's)
 * @param steps optimizer steps, each a list of micro-batches
 * @param optimizer AdamW settings
 * @param proximalWeight mu; 0 disables the term
 * @param proximalGradient false reproduces the reference code, whose proximal term has no gradient
 * @param seed seed of the dropout masks: LoRA's, and those of the model config's own dropout
 * @param observer told after each optimizer step (one unit per step)
 */
public record LocalTrainRequest(List<Integer> stack, LoraSpec lora, NamedTensors frozenLora,
        NamedTensors trainableLora, List<List<Batch>> steps, OptimizerConfig optimizer, double proximalWeight,
        boolean proximalGradient, long seed, StepObserver observer) {

    /** Copies the lists. */
    public LocalTrainRequest {
        stack = List.copyOf(stack);
        steps = steps.stream().map(List::copyOf).toList();
        observer = observer == null ? StepObserver.NONE : observer;
    }

    /**
     * Creates a request whose steps nobody observes.
     *
     * @param stack the decoder layers to run
     * @param lora the LoRA settings
     * @param frozenLora LoRA tensors applied but not trained
     * @param trainableLora LoRA tensors trained
     * @param steps optimizer steps, each a list of micro-batches
     * @param optimizer AdamW settings
     * @param proximalWeight mu; 0 disables the term
     * @param proximalGradient false reproduces the reference code
     * @param seed seed of the dropout masks
     */
    public LocalTrainRequest(List<Integer> stack, LoraSpec lora, NamedTensors frozenLora,
            NamedTensors trainableLora, List<List<Batch>> steps, OptimizerConfig optimizer, double proximalWeight,
            boolean proximalGradient, long seed) {
        this(stack, lora, frozenLora, trainableLora, steps, optimizer, proximalWeight, proximalGradient, seed,
                StepObserver.NONE);
    }
}
