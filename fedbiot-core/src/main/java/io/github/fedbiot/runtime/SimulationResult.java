/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.PeftAdapter;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a simulation, and the two ways to keep the tuned model, as PEFT's {@code save_pretrained}
 * and {@code merge_and_unload().save_pretrained} do: {@link #savePeft} writes the global adapter as a PEFT
 * adapter directory, {@link #saveMerged} a Hugging Face checkpoint of the full model with the adapter merged in
 * (AdapFu, the model the paper deploys).
 *
 * @param records the metrics of every round (round 0 = pre-alignment)
 * @param finalScores the test scores of the un-tuned model, AdapEmu and AdapFu (empty when stopped early)
 * @param adapterLora the final global adapter LoRA, named on the full model's layers
 * @param emulatorLora the final emulator LoRA
 * @param completed false when the run was stopped before its last round
 * @param lora the LoRA settings the adapter was trained with, mapped to the model's architecture
 * @param model the model the run trained on (owned by the caller; {@link #saveMerged} needs it open)
 * @param baseModelName the model's name or path written into the adapter's configuration, or null
 */
public record SimulationResult(List<RoundRecord> records, Map<EvaluationTarget, EvalScores> finalScores,
        NamedTensors adapterLora, NamedTensors emulatorLora, boolean completed, LoraSpec lora, BaseModel model,
        String baseModelName) {

    /** Copies the collections and requires what the exports need. */
    public SimulationResult {
        records = List.copyOf(records);
        finalScores = Map.copyOf(finalScores);
        Objects.requireNonNull(adapterLora, "adapterLora");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(model, "model");
    }

    /**
     * Writes the global adapter as a PEFT adapter directory ({@code adapter_config.json},
     * {@code adapter_model.safetensors}) that {@code PeftModel.from_pretrained} loads onto the base model and
     * {@link PeftAdapter#read} reads back.
     *
     * @param dir the directory (created if needed)
     * @throws io.github.fedbiot.FedbiotException if the adapter cannot be written
     */
    public void savePeft(Path dir) {
        PeftAdapter.write(dir, model.spec(), lora, adapterLora, baseModelName);
    }

    /**
     * Writes the full model with the global adapter merged into its weights as a Hugging Face checkpoint
     * (config.json, model.safetensors and the model's tokenizer files).
     *
     * @param dir the directory (created if needed)
     * @throws io.github.fedbiot.FedbiotException if the checkpoint cannot be written
     * @throws IllegalStateException if the model has been closed
     */
    public void saveMerged(Path dir) {
        model.saveMerged(dir, lora, adapterLora);
    }
}
