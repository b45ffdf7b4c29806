/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Which layers slide, as transformers 5 derives it: Mistral's {@code sliding_window} on every layer (default 4096),
 * Qwen2's {@code use_sliding_window} + {@code max_window_layers}, or {@code layer_types} when present.
 */
class ModelSpecSlidingWindowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode config(String name, Consumer<ObjectNode> edit) {
        try (InputStream in = ModelSpecSlidingWindowTest.class.getResourceAsStream("configs/" + name + ".json")) {
            ObjectNode c = (ObjectNode) JSON.readTree(in);
            edit.accept(c);
            return c;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ModelSpec spec(String name, Consumer<ObjectNode> edit) {
        return ModelSpec.parse(config(name, edit));
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void mistralSlidesOnEveryLayer() {
        ModelSpec s = spec("mistral-7b-v0.1", c -> { });
        assertThat(s.slidingWindow()).isEqualTo(new SlidingWindow(4096, range(0, 32)));
        assertThat(s.slides(0)).isTrue();
        assertThat(s.slides(31)).isTrue();
        // an absent key is MistralConfig's default 4096, an explicit null is none (v0.3)
        assertThat(spec("mistral-7b-v0.1", c -> c.remove("sliding_window")).slidingWindow().size()).isEqualTo(4096);
        assertThat(spec("mistral-7b-instruct-v0.3", c -> { }).slidingWindow()).isNull();
        assertThat(spec("mistral-7b-v0.1", c -> c.put("sliding_window", 5)).slidingWindow().size()).isEqualTo(5);
    }

    @Test
    void mistralLayerTypesThatAgreeWithTheWindowAreAccepted() {
        ModelSpec s = spec("mistral-7b-v0.1", c -> {
            ArrayNode types = c.putArray("layer_types");
            range(0, 32).forEach(i -> types.add("sliding_attention"));
        });
        assertThat(s.slidingWindow().layers()).hasSize(32);
    }

    @Test
    void qwen2SlidesOnlyWithUseSlidingWindowFromMaxWindowLayersOn() {
        // the real Qwen2 configs set a sliding_window but use_sliding_window false: transformers sets it to None
        assertThat(spec("qwen2-7b-instruct", c -> { }).slidingWindow()).isNull();
        assertThat(spec("qwen2.5-0.5b", c -> { }).slidingWindow()).isNull();
        ModelSpec on = spec("qwen2-7b-instruct", c -> c.put("use_sliding_window", true).put("max_window_layers", 20));
        assertThat(on.slidingWindow()).isEqualTo(new SlidingWindow(131072, range(20, 28)));
        assertThat(on.slides(19)).isFalse();
        assertThat(on.slides(20)).isTrue();
        // max_window_layers absent is Qwen2Config's 28 = every layer of this model full; sliding_window absent is 4096
        assertThat(spec("qwen2-7b-instruct", c -> c.put("use_sliding_window", true).remove("max_window_layers"))
                .slidingWindow()).isNull();
        ModelSpec dflt = spec("qwen2-7b-instruct", c -> {
            c.put("use_sliding_window", true).put("max_window_layers", 27);
            c.remove("sliding_window");
        });
        assertThat(dflt.slidingWindow()).isEqualTo(new SlidingWindow(4096, List.of(27)));
    }

    @Test
    void qwen2LayerTypesWinOverMaxWindowLayers() {
        ModelSpec s = spec("qwen2-transformers5", c -> {
            c.put("use_sliding_window", true).put("sliding_window", 5).put("max_window_layers", 0);
            c.putArray("layer_types").add("sliding_attention").add("attention"); // legacy name of full_attention
        });
        assertThat(s.slidingWindow()).isEqualTo(new SlidingWindow(5, List.of(0)));
        ModelSpec allFull = spec("qwen2-transformers5", c -> c.put("use_sliding_window", true)
                .put("sliding_window", 5));
        assertThat(allFull.slidingWindow()).isNull(); // its layer_types lists two full_attention layers
    }

    @Test
    void toConfigJsonWritesWhatTransformersReadsBack() {
        ObjectNode noWindow = spec("mistral-7b-instruct-v0.3", c -> { }).toConfigJson();
        assertThat(noWindow.has("sliding_window")).isTrue(); // absent would mean 4096 to MistralConfig
        assertThat(noWindow.get("sliding_window").isNull()).isTrue();
        ModelSpec qwen = spec("qwen2-7b-instruct", c -> c.put("use_sliding_window", true).put("sliding_window", 64)
                .put("max_window_layers", 26));
        ObjectNode q = qwen.toConfigJson();
        assertThat(q.get("use_sliding_window").asBoolean()).isTrue();
        assertThat(q.get("sliding_window").asInt()).isEqualTo(64);
        assertThat(q.get("max_window_layers").asInt()).isEqualTo(26);
        assertThat(q.get("layer_types").get(25).asText()).isEqualTo("full_attention");
        assertThat(q.get("layer_types").get(26).asText()).isEqualTo("sliding_attention");
        assertThat(ModelSpec.parse(q)).isEqualTo(qwen);
        ModelSpec mixed = spec("qwen2-transformers5", c -> {
            c.put("use_sliding_window", true).put("sliding_window", 5);
            c.putArray("layer_types").add("sliding_attention").add("full_attention");
        });
        assertThat(ModelSpec.parse(mixed.toConfigJson())).isEqualTo(mixed);
    }

    @Test
    void aWindowIsOnlyForMistralAndQwen2AndItsLayers() {
        ModelSpec llama = ModelSpec.llama(64, 32, 2, 4, 2, 64, 64, false);
        assertThatThrownBy(() -> new ModelSpec(llama.architecture(), "llama", 64, 32, 2, 4, 2, 8, 64, 64, 1e-5, 1e4,
                null, false, false, "silu", -1, 2, new SlidingWindow(4, List.of(0)), null))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("only defined for mistral and qwen2");
        assertThatThrownBy(() -> new ModelSpec(llama.architecture(), "qwen2", 64, 32, 2, 4, 2, 8, 64, 64, 1e-5, 1e4,
                null, true, false, "silu", -1, 2, new SlidingWindow(4, List.of(2)), null))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("exceed num_hidden_layers 2");
        assertThatThrownBy(() -> new ModelSpec(llama.architecture(), "mistral", 64, 32, 2, 4, 2, 8, 64, 64, 1e-5, 1e4,
                null, false, false, "silu", -1, 2, new SlidingWindow(4, List.of(1)), null))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("applies to every layer");
        // llama's LlamaModel never reads the key: transformers runs full attention, and so does fedbiot
        ObjectNode c = (ObjectNode) llama.toConfigJson();
        c.put("sliding_window", 4);
        assertThat(ModelSpec.parse(c).slidingWindow()).isNull();
        assertThatThrownBy(() -> new SlidingWindow(0, List.of(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sliding_window must be > 0");
        assertThatThrownBy(() -> new SlidingWindow(3, List.of(1, 0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending");
    }
}
