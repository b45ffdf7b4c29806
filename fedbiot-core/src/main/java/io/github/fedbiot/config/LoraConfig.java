/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.model.LoraSpec;
import java.util.List;

/**
 * The LoRA section of a configuration file; see {@link LoraSpec} for the meaning.
 *
 * @param rank r
 * @param alpha the scaling numerator (scaling = alpha / r)
 * @param dropout dropout on the LoRA input during training
 * @param targets the adapted modules
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targets) {

    /** FedBiOT's LLaMA-2 configuration: r 8, alpha 16, dropout 0.05 on q_proj and v_proj. */
    public static final LoraConfig DEFAULT = new LoraConfig(8, 16, 0.05, List.of("q_proj", "v_proj"));

    /** Validates the values through {@link LoraSpec}. */
    public LoraConfig {
        targets = targets == null ? null : List.copyOf(targets);
        new LoraSpec(rank, alpha, dropout, targets);
    }

    /** Returns the engine-level spec. @return the spec */
    public LoraSpec toSpec() {
        return new LoraSpec(rank, alpha, dropout, targets);
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param rank {@code lora.rank}
     * @param alpha {@code lora.alpha}
     * @param dropout {@code lora.dropout}
     * @param targets {@code lora.targets}
     * @return the section
     */
    @JsonCreator
    static LoraConfig fromJson(@JsonProperty("rank") Integer rank, @JsonProperty("alpha") Double alpha,
            @JsonProperty("dropout") Double dropout, @JsonProperty("targets") List<String> targets) {
        return new LoraConfig(rank != null ? rank : DEFAULT.rank, alpha != null ? alpha : DEFAULT.alpha,
                dropout != null ? dropout : DEFAULT.dropout, targets != null ? targets : DEFAULT.targets);
    }
}
