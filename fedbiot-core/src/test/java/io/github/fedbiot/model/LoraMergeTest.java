/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LoraMergeTest {
    // W [out 2, in 3], A [r 1, in 3], B [out 2, r 1]; s B A = 0.5 * [[1, 0, 2], [3, 0, 6]]
    private static final Tensor W = new Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    private static final Tensor A = new Tensor(new int[] {1, 3}, new float[] {1, 0, 2});
    private static final Tensor B = new Tensor(new int[] {2, 1}, new float[] {1, 3});

    @Test
    void addsScaledProductToALinearWeight() {
        Tensor merged = LoraMerge.merge(W, A, B, 0.5, false);
        assertThat(merged.shape()).containsExactly(2, 3);
        assertThat(merged.data()).containsExactly(1.5f, 2f, 4f, 5.5f, 5f, 9f);
        assertThat(W.data()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void addsTheTransposedProductToAConv1DWeight() {
        Tensor conv = new Tensor(new int[] {3, 2}, new float[] {1, 4, 2, 5, 3, 6});
        Tensor merged = LoraMerge.merge(conv, A, B, 0.5, true);
        assertThat(merged.shape()).containsExactly(3, 2);
        assertThat(merged.data()).containsExactly(1.5f, 5.5f, 2f, 5f, 4f, 9f);
    }

    @Test
    void sumsOverTheRank() {
        Tensor a = new Tensor(new int[] {2, 1}, new float[] {2, 3});
        Tensor b = new Tensor(new int[] {1, 2}, new float[] {5, 7});
        Tensor w = new Tensor(new int[] {1, 1}, new float[] {1});
        assertThat(LoraMerge.merge(w, a, b, 2.0, false).data()).containsExactly(1 + 2 * (5 * 2 + 7 * 3));
    }

    @Test
    void rejectsShapesThatDoNotFit() {
        assertThatThrownBy(() -> LoraMerge.merge(W, A, B, 1.0, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Conv1D");
        Tensor wrongRank = new Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 4});
        assertThatThrownBy(() -> LoraMerge.merge(W, A, wrongRank, 1.0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergesEveryPairAndKeepsTheOtherTensorsInOrder() {
        String q = "model.layers.0.self_attn.q_proj.weight";
        Tensor norm = new Tensor(new int[] {3}, new float[] {1, 1, 1});
        NamedTensors base = NamedTensors.builder().add("model.norm.weight", norm).add(q, W).build();
        NamedTensors lora = NamedTensors.builder().add(LoraNames.loraA(Architecture.LLAMA, 0, "q_proj"), A)
                .add(LoraNames.loraB(Architecture.LLAMA, 0, "q_proj"), B).build();

        NamedTensors merged = LoraMerge.merge(Architecture.LLAMA, base, lora, 0.5);

        assertThat(merged.names()).containsExactly("model.norm.weight", q);
        assertThat(merged.get("model.norm.weight")).isEqualTo(norm);
        assertThat(merged.get(q).data()).containsExactly(1.5f, 2f, 4f, 5.5f, 5f, 9f);
        assertThat(LoraMerge.merge(Architecture.LLAMA, base, NamedTensors.empty(), 0.5)).isEqualTo(base);
    }

    @Test
    void treatsGpt2ProjectionsAsConv1D() {
        String cAttn = "transformer.h.0.attn.c_attn.weight";
        Tensor conv = new Tensor(new int[] {3, 2}, new float[] {1, 4, 2, 5, 3, 6});
        NamedTensors base = NamedTensors.builder().add(cAttn, conv).build();
        NamedTensors lora = NamedTensors.builder().add(LoraNames.loraA(Architecture.GPT2, 0, "c_attn"), A)
                .add(LoraNames.loraB(Architecture.GPT2, 0, "c_attn"), B).build();

        assertThat(LoraMerge.merge(Architecture.GPT2, base, lora, 0.5).get(cAttn).data())
                .containsExactly(1.5f, 5.5f, 2f, 5f, 4f, 9f);
        assertThat(Architecture.GPT2.isConv1D("transformer.h.3.mlp.c_proj.weight")).isTrue();
        assertThat(Architecture.GPT2.isConv1D("transformer.h.3.attn.c_attn.bias")).isFalse();
        assertThat(Architecture.GPT2.isConv1D("transformer.wte.weight")).isFalse();
        assertThat(Architecture.LLAMA.isConv1D("model.layers.0.mlp.up_proj.weight")).isFalse();
    }

    @Test
    void rejectsAnAWithoutItsBOrItsWeight() {
        String nameA = LoraNames.loraA(Architecture.LLAMA, 0, "q_proj");
        NamedTensors base = NamedTensors.builder().add("model.layers.0.self_attn.q_proj.weight", W).build();
        assertThatThrownBy(() -> LoraMerge.merge(Architecture.LLAMA, base,
                NamedTensors.builder().add(nameA, A).build(), 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lora_B");
        NamedTensors lora = NamedTensors.builder().add(LoraNames.loraA(Architecture.LLAMA, 1, "q_proj"), A)
                .add(LoraNames.loraB(Architecture.LLAMA, 1, "q_proj"), B).build();
        assertThatThrownBy(() -> LoraMerge.merge(Architecture.LLAMA, base, lora, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model.layers.1.self_attn");
    }
}
