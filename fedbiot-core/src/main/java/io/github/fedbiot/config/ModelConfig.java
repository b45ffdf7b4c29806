/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.engine.LoadOptions;
import io.github.fedbiot.engine.WeightFormat;

/**
 * Where the pre-trained model comes from and how its frozen weights are held.
 *
 * @param dir a Hugging Face model directory (config.json, safetensors or model.gguf, tokenizer.json); empty when
 *     the command line gives it
 * @param load {@code model.weight_format} and {@code model.activation_checkpointing}
 */
public record ModelConfig(String dir, @JsonIgnore LoadOptions load) {

    /** No directory: the command line must name one. */
    public static final ModelConfig DEFAULT = new ModelConfig("");

    /** Normalises a missing directory to the empty string and missing options to the defaults. */
    public ModelConfig {
        dir = dir == null ? "" : dir;
        load = load == null ? LoadOptions.DEFAULT : load;
    }

    /**
     * A directory with the default load options.
     *
     * @param dir {@code model.dir}
     */
    // Not a creator: Jackson would otherwise read a bare text (model: abc) as a section.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public ModelConfig(String dir) {
        this(dir, LoadOptions.DEFAULT);
    }

    /**
     * Returns this section with another directory, keeping the load options.
     *
     * @param newDir the directory
     * @return the section
     */
    public ModelConfig withDir(String newDir) {
        return new ModelConfig(newDir, load);
    }

    /**
     * Returns {@code model.weight_format} as written to a file; null (left out) for the default, so that the
     * flattened configuration of a run that does not set it is what it was before the key existed.
     *
     * @return the key, or null
     */
    @JsonProperty("weight_format")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    String weightFormatKey() {
        return load.weightFormat() == WeightFormat.AS_STORED ? null : load.weightFormat().key();
    }

    /**
     * Returns {@code model.activation_checkpointing} as written to a file; null (left out) for the default.
     *
     * @return {@code true}, {@code false}, or null for {@code auto}
     */
    @JsonProperty("activation_checkpointing")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    String checkpointingKey() {
        return switch (load.checkpointing()) {
            case AUTO -> null;
            case ON -> "true";
            case OFF -> "false";
        };
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param dir {@code model.dir}
     * @param weightFormat {@code model.weight_format}
     * @param checkpointing {@code model.activation_checkpointing}
     * @return the section
     */
    @JsonCreator
    static ModelConfig fromJson(@JsonProperty("dir") String dir, @JsonProperty("weight_format") String weightFormat,
            @JsonProperty("activation_checkpointing") Object checkpointing) {
        // A boolean or the text auto/on/off: bound as what the file holds, then parsed by one rule.
        return new ModelConfig(dir, new LoadOptions(WeightFormat.parse(weightFormat),
                LoadOptions.Checkpointing.parse(checkpointing == null ? null : checkpointing.toString())));
    }
}
