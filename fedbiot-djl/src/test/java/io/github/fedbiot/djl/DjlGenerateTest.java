/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KV-cache generation against full recomputation (also for sliding-window models generating past their window,
 * where cached keys older than the window must be masked by absolute position), and seeded sampling.
 */
class DjlGenerateTest {
    static List<ModelSpec> specs() {
        return List.of(TinyModels.llama(), TinyModels.qwen2(), TinyModels.gpt2(), TinyModels.qwen2Sliding(),
                TinyModels.mistralSliding());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void greedyWithKvCacheEqualsArgMaxOfFullRecomputation(ModelSpec spec) {
        LoraSpec lora = new LoraSpec(4, 8, 0.0, List.of("q_proj", "v_proj")).forArchitecture(spec.architecture());
        LayerPlan plan = LayerPlan.lastK(spec.numLayers(), 1, 0.5);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 31, 0.3, null)) {
            NamedTensors adapter = DjlTrainLocalTest.randomLora(spec, lora, plan.adapterLayers(), 1, 0.1);
            List<Integer> stack = plan.compressedStack();
            int[] prompt = {5, 9, 13};
            GenerationConfig greedy = new GenerationConfig(10, 0, 0, 1, 0, false);
            int[] got = model.generate(stack, lora, adapter, prompt, greedy);
            assertThat(got).hasSize(10);
            assertThat(model.generate(stack, lora, adapter, prompt, greedy)).isEqualTo(got);

            assertGreedyAsFullForwards(model, stack, lora, adapter, prompt, got);
        }
    }

    @org.junit.jupiter.api.Test
    void stopsAtTheEosToken() {
        ModelSpec base = TinyModels.llama();
        LoraSpec lora = new LoraSpec(4, 8, 0.0, List.of("q_proj"));
        List<Integer> stack = LayerPlan.fullModel(base.numLayers()).fullStack();
        int first;
        try (DjlBaseModel model = DjlBaseModel.random(base, 33, 0.3, null)) {
            first = model.generate(stack, lora, NamedTensors.empty(), new int[] {7, 8},
                    new GenerationConfig(5, 0, 0, 1, 0, false))[0];
        }
        ModelSpec withEos = new ModelSpec(base.architecture(), base.modelType(), base.vocabSize(), base.hiddenSize(),
                base.numLayers(), base.numHeads(), base.numKvHeads(), base.headDim(), base.intermediateSize(),
                base.maxPositions(), base.normEps(), base.ropeTheta(), base.ropeScaling(), base.attentionBias(),
                base.tieWordEmbeddings(), base.hiddenAct(), base.bosTokenId(), first);
        try (DjlBaseModel model = DjlBaseModel.random(withEos, 33, 0.3, null)) {
            assertThat(model.generate(stack, lora, NamedTensors.empty(), new int[] {7, 8},
                    GenerationConfig.greedy(5))).containsExactly(first);
            assertThat(model.generate(stack, lora, NamedTensors.empty(), new int[] {7, 8},
                    new GenerationConfig(5, 0, 0, 1, 0, false))).hasSize(5);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void samplingRepeatsWithTheSameSeed(ModelSpec spec) {
        LoraSpec lora = new LoraSpec(4, 8, 0.0, List.of("q_proj")).forArchitecture(spec.architecture());
        try (DjlBaseModel model = DjlBaseModel.random(spec, 32, 0.3, null)) {
            List<Integer> stack = LayerPlan.fullModel(spec.numLayers()).fullStack();
            GenerationConfig a = new GenerationConfig(16, 1.5, 40, 0.95, 7, false);
            GenerationConfig b = new GenerationConfig(16, 1.5, 40, 0.95, 8, false);
            int[] first = model.generate(stack, lora, NamedTensors.empty(), new int[] {1, 2}, a);
            assertThat(model.generate(stack, lora, NamedTensors.empty(), new int[] {1, 2}, a)).isEqualTo(first);
            assertThat(model.generate(stack, lora, NamedTensors.empty(), new int[] {1, 2}, b)).isNotEqualTo(first);
            int[] topOne = model.generate(stack, lora, NamedTensors.empty(), new int[] {1, 2},
                    new GenerationConfig(8, 1.0, 1, 1, 3, false));
            assertThat(topOne).isEqualTo(model.generate(stack, lora, NamedTensors.empty(), new int[] {1, 2},
                    new GenerationConfig(8, 0, 0, 1, 0, false)));
        }
    }

    /**
     * Checks that each generated token is the argmax of a full forward pass (no KV cache) over the prompt and the
     * tokens before it.
     */
    static void assertGreedyAsFullForwards(DjlBaseModel model, List<Integer> stack, LoraSpec lora,
            NamedTensors loraTensors, int[] prompt, int[] got) {
        int[] seq = prompt.clone();
        int v = model.spec().vocabSize();
        for (int i = 0; i < got.length; i++) {
            float[] logits = model.logits(stack, lora, loraTensors, seq, 1, seq.length);
            int best = 0;
            for (int k = 1; k < v; k++) {
                if (logits[(seq.length - 1) * v + k] > logits[(seq.length - 1) * v + best]) {
                    best = k;
                }
            }
            assertThat(got[i]).as("token %d", i).isEqualTo(best);
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = best;
        }
    }
}
