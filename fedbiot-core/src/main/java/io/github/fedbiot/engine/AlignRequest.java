/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/**
 * The server's emulator alignment: for each step, loss =
 * {@code NL2(h_E, h_T) + klWeight * KL(full model with adapter || compressed model with adapter)}, where
 * {@code h_E} is the emulator's output and {@code h_T} the teacher's output for the same input hidden state,
 * {@code NL2(a, b) = mean(((b - a) / sqrt(mean(b^2)))^2)}, and the KL is summed over the vocabulary and
 * averaged over all B*T positions (no mask), as in the FedBiOT reference. Only {@code emulatorLora} is
 * trained; a fresh AdamW state is used.
 *
 * @param plan the layer split
 * @param lora the LoRA settings
 * @param adapterLora the current global adapter LoRA (frozen here)
 * @param emulatorLora the emulator LoRA to train
 * @param steps optimizer steps, each a list of micro-batches of public data
 * @param optimizer AdamW settings
 * @param klWeight lambda; 0 skips the full-model forward entirely
 * @param seed seed of the dropout masks: LoRA's, and those of the model config's own dropout
 * @param observer told after each optimizer step (one unit per step)
 */
public record AlignRequest(LayerPlan plan, LoraSpec lora, NamedTensors adapterLora, NamedTensors emulatorLora,
        List<List<Batch>> steps, OptimizerConfig optimizer, double klWeight, long seed, StepObserver observer) {

    /** Copies the lists. */
    public AlignRequest {
        steps = steps.stream().map(List::copyOf).toList();
        observer = observer == null ? StepObserver.NONE : observer;
    }

    /**
     * Creates a request whose steps nobody observes.
     *
     * @param plan the layer split
     * @param lora the LoRA settings
     * @param adapterLora the current global adapter LoRA (frozen here)
     * @param emulatorLora the emulator LoRA to train
     * @param steps optimizer steps, each a list of micro-batches of public data
     * @param optimizer AdamW settings
     * @param klWeight lambda
     * @param seed seed of the dropout masks
     */
    public AlignRequest(LayerPlan plan, LoraSpec lora, NamedTensors adapterLora, NamedTensors emulatorLora,
            List<List<Batch>> steps, OptimizerConfig optimizer, double klWeight, long seed) {
        this(plan, lora, adapterLora, emulatorLora, steps, optimizer, klWeight, seed, StepObserver.NONE);
    }
}
