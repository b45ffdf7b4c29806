/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsWriter;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Writing and loading Hugging Face model directories, merged LoRA, shards and malformed checkpoints. */
class DjlCheckpointTest {
    @TempDir
    Path tmp;

    static List<ModelSpec> specs() {
        return List.of(TinyModels.llama(), TinyModels.qwen2(), TinyModels.gpt2());
    }

    private static final int[] TOKENS = {4, 8, 15, 16, 23, 42, 7, 1, 2, 3, 5, 6};

    @ParameterizedTest
    @MethodSource("specs")
    void saveAndLoadRoundTripKeepsWeightsLogitsAndTokenizer(ModelSpec spec) {
        LoraSpec lora = LoraSpec.DEFAULT;
        List<Integer> all = LayerPlan.fullModel(spec.numLayers()).fullStack();
        Path dir = tmp.resolve(spec.modelType());
        try (DjlBaseModel model = DjlBaseModel.random(spec, 41, TinyModels.tokenizerJson())) {
            model.save(dir);
            try (DjlBaseModel back = new DjlEngineProvider().getEngine() instanceof DjlTrainingEngine e
                    ? e.load(dir) : null) {
                assertThat(back).isNotNull();
                assertThat(back.spec()).isEqualTo(model.spec());
                assertThat(DjlModelProbe.baseWeights(back)).isEqualTo(DjlModelProbe.baseWeights(model));
                assertThat(back.logits(all, lora, NamedTensors.empty(), TOKENS, 2, 6))
                        .isEqualTo(model.logits(all, lora, NamedTensors.empty(), TOKENS, 2, 6));
                assertThat(back.tokenizer().encode("the cat")).isEqualTo(model.tokenizer().encode("the cat"));
            }
        }
        assertThat(dir.resolve("config.json")).exists();
        assertThat(dir.resolve("tokenizer.json")).exists();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void mergedCheckpointComputesWhatBasePlusLoraComputes(ModelSpec spec) {
        LoraSpec lora = new LoraSpec(4, 8, 0.0, spec.architecture().loraTargets());
        List<Integer> all = LayerPlan.fullModel(spec.numLayers()).fullStack();
        Path dir = tmp.resolve("merged-" + spec.modelType());
        try (DjlBaseModel model = DjlBaseModel.random(spec, 42, 0.2, null)) {
            NamedTensors adapter = DjlTrainLocalTest.randomLora(spec, lora, List.of(0, spec.numLayers() - 1), 3, 0.2);
            float[] expected = model.logits(all, lora, adapter, TOKENS, 2, 6);
            float[] base = model.logits(all, lora, NamedTensors.empty(), TOKENS, 2, 6);
            model.saveMerged(dir, lora, adapter);
            try (DjlBaseModel merged = DjlBaseModel.load(dir)) {
                float[] got = merged.logits(all, lora, NamedTensors.empty(), TOKENS, 2, 6);
                double maxDiff = 0;
                double baseDiff = 0;
                for (int i = 0; i < got.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
                    baseDiff = Math.max(baseDiff, Math.abs(base[i] - expected[i]));
                }
                assertThat(baseDiff).as("LoRA changes the logits").isGreaterThan(1e-2);
                assertThat(maxDiff).isLessThan(1e-4);
            }
        }
    }

    @Test
    void loadsShardedCheckpoints() throws IOException {
        ModelSpec spec = TinyModels.llama();
        Path single = tmp.resolve("single");
        try (DjlBaseModel model = DjlBaseModel.random(spec, 43, null)) {
            model.save(single);
            NamedTensors weights = DjlModelProbe.baseWeights(model);
            Path sharded = tmp.resolve("sharded");
            Files.createDirectories(sharded);
            Files.copy(single.resolve("config.json"), sharded.resolve("config.json"));
            NamedTensors.Builder a = NamedTensors.builder();
            NamedTensors.Builder b = NamedTensors.builder();
            StringBuilder index = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
            int i = 0;
            for (Map.Entry<String, Tensor> e : weights.asMap().entrySet()) {
                String shard = i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
                (i % 2 == 0 ? a : b).add(e.getKey(), e.getValue());
                index.append(i == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(shard).append('"');
                i++;
            }
            index.append("}}");
            SafetensorsWriter.write(sharded.resolve("model-00001-of-00002.safetensors"), a.build(), Map.of());
            SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), b.build(), Map.of());
            Files.writeString(sharded.resolve("model.safetensors.index.json"), index.toString());
            try (DjlBaseModel back = DjlBaseModel.load(sharded)) {
                assertThat(DjlModelProbe.baseWeights(back)).isEqualTo(weights);
                assertThat(back.hasTokenizer()).isFalse();
                assertThatThrownBy(back::tokenizer).isInstanceOf(FedbiotException.class)
                        .hasMessageContaining("no tokenizer");
            }
        }
    }

    @Test
    void malformedCheckpointsGetClearErrors() throws IOException {
        ModelSpec spec = TinyModels.llama();
        assertThatThrownBy(() -> DjlBaseModel.load(tmp)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("config.json");
        Path dir = tmp.resolve("bad");
        try (DjlBaseModel model = DjlBaseModel.random(spec, 44, null)) {
            model.save(dir);
        }
        Files.delete(dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> DjlBaseModel.load(dir)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("holds neither model.safetensors nor model.safetensors.index.json");
        NamedTensors wrong = NamedTensors.builder().add("model.embed_tokens.weight", Tensor.zeros(10, 32)).build();
        SafetensorsWriter.write(dir.resolve("model.safetensors"), wrong, Map.of());
        assertThatThrownBy(() -> DjlBaseModel.load(dir)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("model.embed_tokens.weight").hasMessageContaining("[10, 32]");
    }
}
