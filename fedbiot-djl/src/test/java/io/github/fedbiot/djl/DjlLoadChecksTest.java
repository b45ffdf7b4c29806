/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.djl.internal.ModelWeights;
import io.github.fedbiot.djl.internal.WeightLoader;
import io.github.fedbiot.model.HfDirectoryWriter;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory whose weights do not make a model is refused at load, naming the model and what is wrong:
 * a NaN or infinite weight, more or fewer decoder layers than config.json says, a tokenizer larger than the
 * vocabulary. Nothing is left allocated by a refused load.
 */
class DjlLoadChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Writes the tiny LLaMA's seeded weights, changed by {@code edit}, with the test tokenizer. */
    private Path write(String name, ModelSpec spec, UnaryOperator<NamedTensors> edit) {
        NamedTensors w;
        try (ModelWeights weights = WeightLoader.random(spec, 3, 0.02)) {
            w = weights.toHeap();
        }
        Path dir = tmp.resolve(name);
        HfDirectoryWriter.write(dir, spec, edit.apply(w), TinyModels.tokenizerJson().getParent());
        return dir;
    }

    private static NamedTensors withValue(NamedTensors w, String name, int index, float value) {
        Tensor t = w.get(name);
        float[] data = t.data().clone();
        data[index] = value;
        NamedTensors.Builder b = NamedTensors.builder();
        w.asMap().forEach((n, x) -> b.add(n, n.equals(name) ? new Tensor(t.shape(), data) : x));
        return b.build();
    }

    @Test
    void aNanOrInfiniteWeightIsRefusedNamingTheTensor() {
        String up = "model.layers.3.mlp.up_proj.weight";
        Path nan = write("nan", TinyModels.llama(), w -> withValue(w, up, 17, Float.NaN));
        assertThatThrownBy(() -> DjlBaseModel.load(nan)).isInstanceOf(FedbiotException.class)
                .hasMessage("model " + nan + ": tensor " + up + " has 1 NaN/Inf value");
        Path inf = write("inf", TinyModels.gpt2(),
                w -> withValue(withValue(w, "transformer.h.1.attn.c_attn.weight", 0, Float.NEGATIVE_INFINITY),
                        "transformer.h.1.attn.c_attn.weight", 5, Float.POSITIVE_INFINITY));
        assertThatThrownBy(() -> DjlBaseModel.load(inf))
                .hasMessage("model " + inf + ": tensor transformer.h.1.attn.c_attn.weight has 2 NaN/Inf values");
    }

    @Test
    void theLayerCountMustBeThatOfTheWeights() throws IOException {
        Path dir = write("layers", TinyModels.llama(), w -> w);
        for (int layers : new int[] {2, 6}) {
            ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
            c.put("num_hidden_layers", layers);
            Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(c));
            assertThatThrownBy(() -> DjlBaseModel.load(dir)).isInstanceOf(FedbiotException.class)
                    .hasMessage("model " + dir + ": config.json's num_hidden_layers is " + layers
                            + " but the weights hold 4 decoder layers (0..3)");
        }
        Path gap = write("gap", TinyModels.llama(), w -> w.filter(n -> !n.startsWith("model.layers.2.")));
        assertThatThrownBy(() -> DjlBaseModel.load(gap))
                .hasMessage("model " + gap + ": the weights hold no tensor of decoder layer 2 (of 0..3)");
    }

    @Test
    void aTokenizerLargerThanTheVocabularyIsRefused() throws IOException {
        ModelSpec small = ModelSpec.llama(16, 32, 2, 4, 2, 64, 64, false); // the test tokenizer has 37 tokens
        Path dir = write("vocab", small, w -> w);
        assertThatThrownBy(() -> DjlBaseModel.load(dir)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("has 37 tokens but the model's vocabulary (config.json vocab_size) is 16");
    }

    @Test
    void aSoundModelStillLoads() {
        Path dir = write("ok", TinyModels.llama(), w -> w);
        try (DjlBaseModel m = DjlBaseModel.load(dir)) {
            assertThat(m.spec().numLayers()).isEqualTo(4);
            assertThat(m.hasTokenizer()).isTrue();
        }
    }
}
