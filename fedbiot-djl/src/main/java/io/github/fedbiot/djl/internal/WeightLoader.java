/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.SafetensorsCheckpoint;
import java.nio.file.Path;

/**
 * Creates a model's frozen weights in a new base manager, read from a checkpoint or drawn at random. The
 * weights go on the first GPU when DJL sees one, else on the CPU; on failure the manager is closed again.
 */
public final class WeightLoader {
    private WeightLoader() {}

    /**
     * Reads the weights of a Hugging Face model directory (model.safetensors or a sharded index).
     *
     * @param spec the model shape, from the directory's config.json
     * @param dir the model directory
     * @return the weights, owning their base manager
     * @throws io.github.fedbiot.FedbiotException if a file is missing or does not match the spec (its decoder
     *     layers, a shape), or a weight is NaN or infinite
     */
    public static ModelWeights load(ModelSpec spec, Path dir) {
        NDManager manager = newBaseManager();
        try (SafetensorsCheckpoint files = SafetensorsCheckpoint.open(dir)) {
            // some GPT-2 checkpoints (openai-community/gpt2 among them) name their tensors without "transformer."
            boolean bare = spec.architecture() == Architecture.GPT2 && !files.contains("transformer.wte.weight")
                    && files.contains("wte.weight");
            WeightChecks.requireLayerCount(spec, files.names(), dir.toString());
            ModelWeights weights = ModelWeights.create(spec, manager,
                    name -> files.read(bare ? name.replaceFirst("^transformer\\.", "") : name));
            WeightChecks.requireFinite(weights, dir.toString());
            return weights;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Draws seeded random weights (normal of the given standard deviation; norms 1, biases 0).
     *
     * @param spec the model shape
     * @param seed the seed
     * @param std the standard deviation
     * @return the weights, owning their base manager
     * @throws IllegalArgumentException if {@code std} is not finite and &gt; 0
     */
    public static ModelWeights random(ModelSpec spec, long seed, double std) {
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("initialisation std must be finite and > 0, got " + std);
        }
        NDManager manager = newBaseManager();
        try {
            return ModelWeights.create(spec, manager, name -> ModelWeights.randomTensor(spec, name, seed, std));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static NDManager newBaseManager() {
        NativeRuntimeSettings.apply();
        Engine engine = Engine.getEngine("PyTorch");
        return engine.getGpuCount() > 0 ? engine.newBaseManager(Device.gpu()) : engine.newBaseManager();
    }
}
