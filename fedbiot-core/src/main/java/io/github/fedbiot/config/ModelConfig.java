/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the pre-trained model comes from.
 *
 * @param dir a Hugging Face model directory (config.json, safetensors, tokenizer.json); empty when the command
 *     line gives it
 */
public record ModelConfig(String dir) {

    /** No directory: the command line must name one. */
    public static final ModelConfig DEFAULT = new ModelConfig("");

    /** Normalises a missing directory to the empty string. */
    public ModelConfig {
        dir = dir == null ? "" : dir;
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param dir {@code model.dir}
     * @return the section
     */
    @JsonCreator
    static ModelConfig fromJson(@JsonProperty("dir") String dir) {
        return new ModelConfig(dir);
    }
}
