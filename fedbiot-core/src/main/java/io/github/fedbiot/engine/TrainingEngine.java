/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.model.ModelSpec;
import java.nio.file.Path;

/** A tensor engine that can load and train decoder-only language models; found through {@link Engines}. */
public interface TrainingEngine {
    /** The standard deviation of random weights when none is given ({@code initializer_range} of transformers). */
    double DEFAULT_INIT_STD = 0.02;

    /** Returns the engine's name, e.g. {@code djl}. @return the name */
    String name();

    /** Returns a description of the engine and its native library versions. @return the version string */
    String version();

    /**
     * Loads a Hugging Face model directory (config.json, safetensors weights, tokenizer.json).
     *
     * @param modelDir the directory
     * @return the loaded model, owned by the caller
     */
    BaseModel load(Path modelDir);

    /**
     * Loads a model directory with options for how its frozen weights are held and trained. An engine that does
     * not implement an option refuses it.
     *
     * @param modelDir the directory
     * @param options the weight format and activation checkpointing
     * @return the loaded model, owned by the caller
     * @throws io.github.fedbiot.ConfigException if the engine does not support the options
     */
    default BaseModel load(Path modelDir, LoadOptions options) {
        if (!options.isDefault()) {
            throw new io.github.fedbiot.ConfigException("model.weight_format", "engine '" + name()
                    + "' supports only the default weight format and checkpointing, not " + options);
        }
        return load(modelDir);
    }

    /**
     * Creates a model with seeded random weights (normal of standard deviation {@code std}; norms 1, biases
     * 0), for pretraining, tests and benchmarks.
     *
     * @param spec the model shape
     * @param seed the seed
     * @param std the standard deviation of the normal initialisation, finite and &gt; 0
     * @param tokenizerJson a tokenizer.json to attach, or null for none
     * @return the model, owned by the caller
     * @throws IllegalArgumentException for a bad {@code std} or a tokenizer larger than the vocabulary
     */
    BaseModel random(ModelSpec spec, long seed, double std, Path tokenizerJson);

    /**
     * Creates a model with seeded random weights held as the options ask (float32 weights drawn as
     * {@link #random(ModelSpec, long, double, Path)} draws them, then converted).
     *
     * @param spec the model shape
     * @param seed the seed
     * @param std the standard deviation of the normal initialisation, finite and &gt; 0
     * @param tokenizerJson a tokenizer.json to attach, or null for none
     * @param options the weight format and activation checkpointing
     * @return the model, owned by the caller
     * @throws io.github.fedbiot.ConfigException if the engine does not support the options
     */
    default BaseModel random(ModelSpec spec, long seed, double std, Path tokenizerJson, LoadOptions options) {
        if (!options.isDefault()) {
            throw new io.github.fedbiot.ConfigException("model.weight_format", "engine '" + name()
                    + "' supports only the default weight format and checkpointing, not " + options);
        }
        return random(spec, seed, std, tokenizerJson);
    }

    /**
     * Creates a model with seeded random weights of transformers' default initialiser range,
     * {@value #DEFAULT_INIT_STD}.
     *
     * @param spec the model shape
     * @param seed the seed
     * @param tokenizerJson a tokenizer.json to attach, or null for none
     * @return the model, owned by the caller
     */
    default BaseModel random(ModelSpec spec, long seed, Path tokenizerJson) {
        return random(spec, seed, DEFAULT_INIT_STD, tokenizerJson);
    }
}
