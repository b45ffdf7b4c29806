/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import io.github.fedbiot.ConfigException;
import java.util.List;

/**
 * Low-rank adaptation settings: {@code W' = W + (alpha / rank) * B A} on the target modules, with A of
 * shape {@code [rank, in]} initialised Kaiming-uniform and B of shape {@code [out, rank]} initialised to
 * zero, so that a fresh adapter leaves the model unchanged.
 *
 * @param rank the rank r
 * @param alpha the scaling numerator
 * @param dropout dropout on the LoRA input during training, in [0, 1)
 * @param targets the Hugging Face module names to adapt, e.g. {@code q_proj}, {@code v_proj}
 */
public record LoraSpec(int rank, double alpha, double dropout, List<String> targets) {

    /** The FedBiOT reference configuration: r 8, alpha 16, dropout 0.05 on q and v. */
    public static final LoraSpec DEFAULT = new LoraSpec(8, 16, 0.05, List.of("q_proj", "v_proj"));

    /** Validates the values. */
    public LoraSpec {
        ConfigException.require(rank > 0, "lora.rank", rank, "must be > 0");
        ConfigException.require(alpha > 0, "lora.alpha", alpha, "must be > 0");
        ConfigException.require(dropout >= 0 && dropout < 1, "lora.dropout", dropout, "must be in [0, 1)");
        ConfigException.require(targets != null && !targets.isEmpty(), "lora.targets", targets,
                "must name at least one module");
        targets = List.copyOf(targets);
    }

    /** Returns the LoRA scaling {@code alpha / rank}. @return the scaling */
    public double scaling() {
        return alpha / rank;
    }

    /**
     * Returns this spec with the targets mapped to the given family (GPT-2 fuses q, k and v in
     * {@code c_attn}, so q/v targets become {@code c_attn}).
     *
     * @param arch the model family
     * @return a spec whose targets exist in that family
     * @throws ConfigException if a target does not exist in the family
     */
    public LoraSpec forArchitecture(Architecture arch) {
        List<String> mapped = targets.stream().map(t -> arch == Architecture.GPT2 && List.of("q_proj", "k_proj",
                "v_proj").contains(t) ? "c_attn" : t).distinct().toList();
        for (String t : mapped) {
            ConfigException.require(arch.loraTargets().contains(t), "lora.targets", t,
                    "is not a module of " + arch + " (modules: " + arch.loraTargets() + ")");
        }
        return new LoraSpec(rank, alpha, dropout, mapped);
    }
}
