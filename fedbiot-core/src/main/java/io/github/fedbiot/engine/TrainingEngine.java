/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import java.nio.file.Path;

/** A tensor engine that can load and train decoder-only language models; found through {@link Engines}. */
public interface TrainingEngine {

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
}
