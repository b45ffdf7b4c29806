/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import ai.djl.engine.Engine;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.djl.internal.NativeRuntimeSettings;
import io.github.fedbiot.engine.LoadOptions;
import io.github.fedbiot.engine.TrainingEngine;
import io.github.fedbiot.model.ModelSpec;
import java.nio.file.Path;

/**
 * The {@code djl} training engine: decoder-only models on DJL's PyTorch engine (fp32; CPU, or a GPU when a
 * DJL CUDA native jar is on the class path and a GPU is visible).
 */
public final class DjlTrainingEngine implements TrainingEngine {
    private final Engine engine;

    private DjlTrainingEngine(Engine engine) {
        this.engine = engine;
    }

    /**
     * Starts DJL's PyTorch engine, turning a native-library failure into a {@link FedbiotException}.
     *
     * @return the engine
     */
    static DjlTrainingEngine newInstance() {
        try {
            NativeRuntimeSettings.apply();
            return new DjlTrainingEngine(Engine.getEngine("PyTorch"));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new FedbiotException("Failed to load DJL's PyTorch engine: " + e.getMessage(), e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "djl";
    }

    /** {@inheritDoc} */
    @Override
    public String version() {
        return "DJL " + Engine.getDjlVersion() + ", " + engine.getEngineName() + " " + engine.getVersion()
                + (engine.getGpuCount() > 0 ? ", " + engine.getGpuCount() + " GPU(s)" : ", CPU");
    }

    /**
     * Loads a Hugging Face model directory (config.json; model.safetensors or model.safetensors.index.json
     * with its shards; tokenizer.json when present).
     *
     * @param modelDir the directory
     * @return the model, owned by the caller
     */
    @Override
    public DjlBaseModel load(Path modelDir) {
        return DjlBaseModel.load(modelDir);
    }

    /** {@inheritDoc} */
    @Override
    public DjlBaseModel load(Path modelDir, LoadOptions options) {
        return DjlBaseModel.load(modelDir, options);
    }

    /** {@inheritDoc} */
    @Override
    public DjlBaseModel random(ModelSpec spec, long seed, double std, Path tokenizerJson) {
        return DjlBaseModel.random(spec, seed, std, tokenizerJson);
    }

    /** {@inheritDoc} */
    @Override
    public DjlBaseModel random(ModelSpec spec, long seed, double std, Path tokenizerJson, LoadOptions options) {
        return DjlBaseModel.random(spec, seed, std, tokenizerJson, options);
    }
}
