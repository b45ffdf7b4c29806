/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.ConfigException;

/**
 * Evaluation of AdapEmu (emulator + adapter) and AdapFu (adapter plugged into the full model).
 *
 * @param every evaluate after every this many rounds (the last round is always evaluated)
 * @param maxExamples per client, at most this many held-out examples for loss and perplexity (0: all)
 * @param generateExamples per client, at most this many examples for exact match by greedy generation
 *     (0: skip exact match)
 * @param maxNewTokens the generation budget per example
 * @param batchSize examples per evaluation batch
 */
public record EvalConfig(int every, int maxExamples, int generateExamples, int maxNewTokens, int batchSize) {

    /** Defaults: every round, 64 examples per client for loss, 8 for exact match, 64 new tokens. */
    public static final EvalConfig DEFAULT = new EvalConfig(1, 64, 8, 64, 8);

    /** Validates the values. */
    public EvalConfig {
        ConfigException.require(every >= 1, "eval.every", every, "must be >= 1");
        ConfigException.require(maxExamples >= 0, "eval.max_examples", maxExamples, "must be >= 0");
        ConfigException.require(generateExamples >= 0, "eval.generate_examples", generateExamples, "must be >= 0");
        ConfigException.require(maxNewTokens >= 1, "eval.max_new_tokens", maxNewTokens, "must be >= 1");
        ConfigException.require(batchSize >= 1, "eval.batch_size", batchSize, "must be >= 1");
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param every {@code eval.every}
     * @param maxExamples {@code eval.max_examples}
     * @param generateExamples {@code eval.generate_examples}
     * @param maxNewTokens {@code eval.max_new_tokens}
     * @param batchSize {@code eval.batch_size}
     * @return the section
     */
    @JsonCreator
    static EvalConfig fromJson(@JsonProperty("every") Integer every, @JsonProperty("max_examples") Integer maxExamples,
            @JsonProperty("generate_examples") Integer generateExamples,
            @JsonProperty("max_new_tokens") Integer maxNewTokens, @JsonProperty("batch_size") Integer batchSize) {
        EvalConfig d = DEFAULT;
        return new EvalConfig(every != null ? every : d.every, maxExamples != null ? maxExamples : d.maxExamples,
                generateExamples != null ? generateExamples : d.generateExamples,
                maxNewTokens != null ? maxNewTokens : d.maxNewTokens, batchSize != null ? batchSize : d.batchSize);
    }
}
