/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.ConfigException;

/**
 * How to generate: greedy when {@code temperature == 0}, else sampling with temperature, top-k and top-p,
 * drawn from a generator seeded with {@code seed}.
 *
 * @param maxNewTokens how many tokens to generate at most
 * @param temperature 0 for greedy decoding
 * @param topK keep the k most likely tokens (0: all)
 * @param topP keep the smallest set of tokens whose probability reaches p (1: all)
 * @param seed the sampling seed
 * @param stopAtEos whether to stop at the EOS token
 */
public record GenerationConfig(int maxNewTokens, double temperature, int topK, double topP, long seed,
        boolean stopAtEos) {

    /** Validates the values. */
    public GenerationConfig {
        ConfigException.require(maxNewTokens >= 0, "generation.max_new_tokens", maxNewTokens, "must be >= 0");
        ConfigException.require(temperature >= 0, "generation.temperature", temperature, "must be >= 0");
        ConfigException.require(topK >= 0, "generation.top_k", topK, "must be >= 0");
        ConfigException.require(topP > 0 && topP <= 1, "generation.top_p", topP, "must be in (0, 1]");
    }

    /**
     * Greedy decoding that stops at EOS.
     *
     * @param maxNewTokens the token budget
     * @return the config
     */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 0, 1, 0, true);
    }
}
