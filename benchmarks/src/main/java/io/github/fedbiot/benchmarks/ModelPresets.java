/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import io.github.fedbiot.model.ModelSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The LLaMA-shaped decoders the benchmarks use, from tiny to about 135M parameters: {@code 10m} is the shape of
 * {@code fedbiot bench engine --preset 10m}; {@code smollm2-135m} (that command's {@code largest}) has the shape
 * of SmolLM2-135M (vocabulary 49152, d 576, 30 layers, 9 heads / 3 KV heads, MLP 1536, tied head); benchmark
 * weights are seeded random values, since neither speed nor memory depends on them.
 */
public final class ModelPresets {
    private static final Map<String, ModelSpec> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("tiny", ModelSpec.llama(1024, 128, 4, 4, 2, 352, 2048, false));
        PRESETS.put("small", ModelSpec.llama(8192, 256, 8, 8, 4, 704, 2048, false));
        // the shape of `fedbiot bench engine --preset 10m`, so results can be compared
        PRESETS.put("10m", ModelSpec.llama(13312, 256, 4, 4, 4, 1024, 2048, false));
        PRESETS.put("medium", ModelSpec.llama(16384, 512, 12, 8, 4, 1408, 2048, false));
        PRESETS.put("smollm2-135m", ModelSpec.llama(49152, 576, 30, 9, 3, 1536, 2048, true));
        // LLaMA-2-7B's shape (the FedBiOT paper's model): 6.74 B parameters, 27 GB as float32
        PRESETS.put("llama2-7b", ModelSpec.llama(32000, 4096, 32, 32, 32, 11008, 4096, false));
    }

    private ModelPresets() {}

    /**
     * Returns a preset.
     *
     * @param name the preset's name
     * @return the model shape
     * @throws IllegalArgumentException for an unknown name
     */
    public static ModelSpec get(String name) {
        ModelSpec s = PRESETS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no model preset '" + name + "'; presets: " + PRESETS.keySet());
        }
        return s;
    }

    /** Returns all presets by name, smallest first. @return the presets */
    public static Map<String, ModelSpec> all() {
        return Map.copyOf(PRESETS);
    }

    /**
     * Returns the same shape with another number of layers (a client's compressed model).
     *
     * @param s the shape
     * @param layers the new layer count
     * @return the shape
     * @throws IllegalArgumentException for a shape with a sliding window
     */
    public static ModelSpec withLayers(ModelSpec s, int layers) {
        if (s.slidingWindow() != null) {
            // which layers of the shorter model slide depends on the plan; presets have no window
            throw new IllegalArgumentException("withLayers does not take a model with a sliding window");
        }
        return new ModelSpec(s.architecture(), s.modelType(), s.vocabSize(), s.hiddenSize(), layers, s.numHeads(),
                s.numKvHeads(), s.headDim(), s.intermediateSize(), s.maxPositions(), s.normEps(), s.ropeTheta(),
                s.ropeScaling(), s.attentionBias(), s.tieWordEmbeddings(), s.hiddenAct(), s.bosTokenId(),
                s.eosTokenId(), null, s.trainingDropout());
    }
}
