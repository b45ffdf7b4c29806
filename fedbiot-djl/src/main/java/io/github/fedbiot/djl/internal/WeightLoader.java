/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.DType;
import io.github.fedbiot.tensor.SafetensorsCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates a model's frozen weights in a new base manager, read from a checkpoint (safetensors, or a
 * {@value #GGUF_FILE} beside config.json) or drawn at random, held in a {@link WeightFormat}. The weights go on
 * the first GPU when DJL sees one, else on the CPU; on failure the manager is closed again.
 */
public final class WeightLoader {
    /** The weights file of a model directory that keeps a GGUF file's blocks (preferred to safetensors). */
    public static final String GGUF_FILE = "model.gguf";

    private WeightLoader() {}

    /**
     * Reads the weights of a model directory in a format: {@value #GGUF_FILE} when present (see
     * {@link GgufWeightLoader}), else model.safetensors or a sharded index ({@code as_stored} keeps F16 and
     * BF16 tensors at 2 bytes a weight and F32 as is).
     *
     * @param spec the model shape, from the directory's config.json
     * @param dir the model directory
     * @param format the format to hold the weights in
     * @return the weights, owning their base manager
     * @throws io.github.fedbiot.FedbiotException if a file is missing or does not match the spec
     */
    public static ModelWeights load(ModelSpec spec, Path dir, WeightFormat format) {
        Path gguf = dir.resolve(GGUF_FILE);
        if (!Files.isRegularFile(gguf)) {
            return loadSafetensors(spec, dir, format);
        }
        NDManager manager = newBaseManager();
        try {
            return GgufWeightLoader.load(spec, gguf, format, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

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
        return load(spec, dir, WeightFormat.AS_STORED);
    }

    private static ModelWeights loadSafetensors(ModelSpec spec, Path dir, WeightFormat format) {
        NDManager manager = newBaseManager();
        try (SafetensorsCheckpoint files = SafetensorsCheckpoint.open(dir)) {
            // some GPT-2 checkpoints (openai-community/gpt2 among them) name their tensors without "transformer."
            boolean bare = spec.architecture() == Architecture.GPT2 && !files.contains("transformer.wte.weight")
                    && files.contains("wte.weight");
            WeightChecks.requireLayerCount(spec, files.names(), dir.toString());
            java.util.function.UnaryOperator<String> fileName = n -> bare ? n.replaceFirst("^transformer\\.", "") : n;
            ModelWeights weights = ModelWeights.create(spec, manager, name -> format != WeightFormat.AS_STORED ? format
                    : asStored(files.dtype(fileName.apply(name))), name -> files.read(fileName.apply(name)));
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
        return random(spec, seed, std, WeightFormat.F32);
    }

    /**
     * Draws seeded random weights as {@link #random(ModelSpec, long, double)} does and holds them in a format.
     *
     * @param spec the model shape
     * @param seed the seed
     * @param std the standard deviation
     * @param format the format ({@code as_stored} is float32)
     * @return the weights, owning their base manager
     */
    public static ModelWeights random(ModelSpec spec, long seed, double std, WeightFormat format) {
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("initialisation std must be finite and > 0, got " + std);
        }
        NDManager manager = newBaseManager();
        try {
            WeightFormat f = format == WeightFormat.AS_STORED ? WeightFormat.F32 : format;
            return ModelWeights.create(spec, manager, name -> f, name -> ModelWeights.randomTensor(spec, name, seed, std));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static WeightFormat asStored(DType dtype) {
        return switch (dtype) {
            case F16 -> WeightFormat.F16;
            case BF16 -> WeightFormat.BF16;
            default -> WeightFormat.F32;
        };
    }

    static NDManager newBaseManager() {
        NativeRuntimeSettings.apply();
        Engine engine = Engine.getEngine("PyTorch");
        return engine.getGpuCount() > 0 ? engine.newBaseManager(Device.gpu()) : engine.newBaseManager();
    }
}
