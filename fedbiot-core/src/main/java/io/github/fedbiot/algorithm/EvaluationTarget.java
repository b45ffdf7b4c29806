/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/** Which model an evaluation runs: the paper's AdapEmu and AdapFu, and the un-tuned model as a baseline. */
public enum EvaluationTarget {
    /** The pre-trained full model without any LoRA. */
    UNTUNED("untuned"),
    /** The compressed model a client has: emulator (with its LoRA) + adapter (with its LoRA). */
    ADAP_EMU("adap_emu"),
    /** The adapter plugged into the full model: all layers, adapter LoRA only (emulator discarded). */
    ADAP_FU("adap_fu");

    private final String id;

    EvaluationTarget(String id) {
        this.id = id;
    }

    /** Returns the name used in metrics. @return the id */
    public String id() {
        return id;
    }

    /**
     * Returns the decoder layers to run.
     *
     * @param plan the layer split
     * @return the layer indices
     */
    public List<Integer> stack(LayerPlan plan) {
        return this == ADAP_EMU ? plan.compressedStack() : plan.fullStack();
    }

    /**
     * Returns the LoRA tensors to apply.
     *
     * @param adapter the global adapter LoRA
     * @param emulator the emulator LoRA
     * @return the tensors
     */
    public NamedTensors lora(NamedTensors adapter, NamedTensors emulator) {
        return switch (this) {
            case UNTUNED -> NamedTensors.empty();
            case ADAP_EMU -> emulator.with(adapter);
            case ADAP_FU -> adapter;
        };
    }
}
