/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoraNamesTest {
    private static final ModelSpec TINY = ModelSpec.llama(32000, 2048, 22, 32, 4, 5632, 2048, false);
    private static final ModelSpec GPT2 = new ModelSpec(Architecture.GPT2, "gpt2", 50257, 768, 12, 12, 12, 64, 3072,
            1024, 1e-5, 0, null, true, true, "gelu_new", 50256, 50256);

    @Test
    void llamaNamesFollowTransformers() {
        assertThat(LoraNames.modulePath(Architecture.LLAMA, 3, "q_proj")).isEqualTo("model.layers.3.self_attn.q_proj");
        assertThat(LoraNames.modulePath(Architecture.LLAMA, 0, "down_proj")).isEqualTo("model.layers.0.mlp.down_proj");
        assertThat(LoraNames.loraA(Architecture.LLAMA, 30, "v_proj"))
                .isEqualTo("model.layers.30.self_attn.v_proj.lora_A.weight");
        assertThat(LoraNames.loraB(Architecture.LLAMA, 30, "v_proj"))
                .isEqualTo("model.layers.30.self_attn.v_proj.lora_B.weight");
    }

    @Test
    void gpt2NamesFollowTransformers() {
        assertThat(LoraNames.loraA(Architecture.GPT2, 11, "c_attn")).isEqualTo("transformer.h.11.attn.c_attn.lora_A.weight");
        assertThat(LoraNames.modulePath(Architecture.GPT2, 2, "attn.c_proj")).isEqualTo("transformer.h.2.attn.c_proj");
        assertThat(LoraNames.modulePath(Architecture.GPT2, 2, "mlp.c_proj")).isEqualTo("transformer.h.2.mlp.c_proj");
        assertThat(LoraNames.modulePath(Architecture.GPT2, 2, "c_fc")).isEqualTo("transformer.h.2.mlp.c_fc");
    }

    @Test
    void unknownModulesAreRejected() {
        assertThatThrownBy(() -> LoraNames.modulePath(Architecture.GPT2, 0, "q_proj"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'q_proj'");
        assertThatThrownBy(() -> LoraNames.modulePath(Architecture.LLAMA, 0, "c_attn"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'c_attn'");
        assertThatThrownBy(() -> LoraNames.moduleDims(TINY, "lm_head")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lm_head'");
    }

    @Test
    void baseWeightAndLayerOf() {
        assertThat(LoraNames.baseWeight("model.layers.3.self_attn.q_proj.lora_A.weight"))
                .isEqualTo("model.layers.3.self_attn.q_proj.weight");
        assertThat(LoraNames.baseWeight("transformer.h.1.attn.c_attn.lora_B.weight"))
                .isEqualTo("transformer.h.1.attn.c_attn.weight");
        assertThat(LoraNames.layerOf("model.layers.17.mlp.up_proj.lora_B.weight")).isEqualTo(17);
        assertThat(LoraNames.layerOf("transformer.h.4.attn.c_attn.lora_A.weight")).isEqualTo(4);
        assertThat(LoraNames.layerOf("model.embed_tokens.weight")).isEqualTo(-1);
        assertThat(LoraNames.layerOf("lm_head.weight")).isEqualTo(-1);
        // the layer prefix must be at the start of the name
        assertThat(LoraNames.layerOf("base_model.model.model.layers.2.self_attn.q_proj.lora_A.weight")).isEqualTo(-1);
    }

    @Test
    void moduleDimsFollowGroupedQueryAttention() {
        assertThat(LoraNames.moduleDims(TINY, "q_proj")).containsExactly(2048, 2048);
        assertThat(LoraNames.moduleDims(TINY, "k_proj")).containsExactly(2048, 256);
        assertThat(LoraNames.moduleDims(TINY, "v_proj")).containsExactly(2048, 256);
        assertThat(LoraNames.moduleDims(TINY, "o_proj")).containsExactly(2048, 2048);
        assertThat(LoraNames.moduleDims(TINY, "gate_proj")).containsExactly(2048, 5632);
        assertThat(LoraNames.moduleDims(TINY, "down_proj")).containsExactly(5632, 2048);
        assertThat(LoraNames.moduleDims(GPT2, "c_attn")).containsExactly(768, 2304);
        assertThat(LoraNames.moduleDims(GPT2, "c_fc")).containsExactly(768, 3072);
        assertThat(LoraNames.moduleDims(GPT2, "mlp.c_proj")).containsExactly(3072, 768);
        assertThat(LoraNames.moduleDims(GPT2, "attn.c_proj")).containsExactly(768, 768);
    }
}
