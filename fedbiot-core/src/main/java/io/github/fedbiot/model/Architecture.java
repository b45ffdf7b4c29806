/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import java.util.List;

/** The decoder-only transformer families fedbiot runs, with their Hugging Face naming. */
public enum Architecture {
    /**
     * LLaMA family: RMSNorm, rotary embeddings, SwiGLU MLP, grouped-query attention, optional q/k/v bias
     * (Qwen2). Covers LLaMA-2/3, TinyLlama, SmolLM, Mistral-style and Qwen2 checkpoints.
     */
    LLAMA("model.layers.", List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"),
            List.of("q_proj", "v_proj")),
    /** GPT-2 family: LayerNorm, learned positions, fused {@code c_attn}, GELU MLP, tied embeddings. */
    GPT2("transformer.h.", List.of("c_attn", "attn.c_proj", "c_fc", "mlp.c_proj"), List.of("c_attn"));

    private final String layerPrefix;
    private final List<String> loraTargets;
    private final List<String> defaultLoraTargets;

    Architecture(String layerPrefix, List<String> loraTargets, List<String> defaultLoraTargets) {
        this.layerPrefix = layerPrefix;
        this.loraTargets = loraTargets;
        this.defaultLoraTargets = defaultLoraTargets;
    }

    /** Returns the prefix of decoder-layer tensor names, e.g. {@code model.layers.}. @return the prefix */
    public String layerPrefix() {
        return layerPrefix;
    }

    /** Returns the module names LoRA may target in this family. @return the module names */
    public List<String> loraTargets() {
        return loraTargets;
    }

    /** Returns PEFT's default LoRA targets for this family. @return the module names */
    public List<String> defaultLoraTargets() {
        return defaultLoraTargets;
    }

    /**
     * Returns whether a weight is stored as a GPT-2 {@code Conv1D}, that is {@code [in, out]} instead of a
     * linear layer's {@code [out, in]}.
     *
     * @param weightName a Hugging Face tensor name
     * @return true for the {@code .weight} of an attention or MLP projection of a GPT-2 decoder layer
     */
    public boolean isConv1D(String weightName) {
        return this == GPT2 && weightName.startsWith(layerPrefix) && weightName.endsWith(".weight")
                && (weightName.contains(".attn.") || weightName.contains(".mlp."));
    }

    /**
     * Maps a Hugging Face {@code model_type} to a family.
     *
     * @param modelType the {@code model_type} of config.json
     * @return the family
     * @throws IllegalArgumentException for an unsupported type
     */
    public static Architecture fromModelType(String modelType) {
        return switch (modelType) {
            case "llama", "qwen2", "mistral" -> LLAMA;
            case "gpt2" -> GPT2;
            default -> throw new IllegalArgumentException("unsupported model_type '" + modelType
                    + "'; supported: llama, qwen2, mistral, gpt2");
        };
    }
}
