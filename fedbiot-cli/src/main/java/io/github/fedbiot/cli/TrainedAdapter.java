/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.PeftAdapter;
import io.github.fedbiot.runtime.CheckpointStore;
import io.github.fedbiot.runtime.RoundCheckpoint;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A trained adapter LoRA as {@code --adapter} names it: a PEFT adapter directory ({@code adapter_config.json})
 * or the output directory of {@code fedbiot simulate} (its {@code checkpoint.safetensors}, whose recorded
 * configuration gives the LoRA settings).
 *
 * @param lora the LoRA settings, mapped to the model's family
 * @param tensors the adapter LoRA tensors
 */
record TrainedAdapter(LoraSpec lora, NamedTensors tensors) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads the adapter for a model.
     *
     * @param dir a PEFT adapter directory or a simulation's output directory
     * @param spec the base model the adapter is for
     * @return the adapter
     * @throws FedbiotException if the directory holds neither, or its files are corrupt or do not fit the model
     */
    static TrainedAdapter read(Path dir, ModelSpec spec) {
        if (Files.isRegularFile(dir.resolve(PeftAdapter.CONFIG_FILE))) {
            PeftAdapter a = PeftAdapter.read(dir, spec);
            return new TrainedAdapter(a.lora().forArchitecture(spec.architecture()), a.tensors());
        }
        Path ckpt = dir.resolve(CheckpointStore.FILE_NAME);
        if (!Files.isRegularFile(ckpt)) {
            throw new FedbiotException("--adapter: " + dir + " holds neither a PEFT adapter ("
                    + PeftAdapter.CONFIG_FILE + ") nor a fedbiot simulate run (" + CheckpointStore.FILE_NAME + ")");
        }
        RoundCheckpoint c = CheckpointStore.read(ckpt);
        return new TrainedAdapter(loraOf(c.config(), ckpt).forArchitecture(spec.architecture()), c.adapterLora());
    }

    /** The LoRA settings of a run from its flattened configuration ({@code lora.rank} and so on). */
    private static LoraSpec loraOf(Map<String, String> config, Path file) {
        try {
            String targets = config.get("lora.targets");
            List<String> t = targets == null ? LoraSpec.DEFAULT.targets()
                    : Arrays.asList(JSON.readValue(targets, String[].class));
            return new LoraSpec(Integer.parseInt(config.getOrDefault("lora.rank", "" + LoraSpec.DEFAULT.rank())),
                    Double.parseDouble(config.getOrDefault("lora.alpha", "" + LoraSpec.DEFAULT.alpha())),
                    Double.parseDouble(config.getOrDefault("lora.dropout", "" + LoraSpec.DEFAULT.dropout())), t);
        } catch (JsonProcessingException | NumberFormatException e) {
            throw new FedbiotException("checkpoint " + file + " records unreadable LoRA settings: " + e.getMessage(),
                    e);
        }
    }
}
