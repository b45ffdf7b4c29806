/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GgufTensorNamesTest {

    @ParameterizedTest
    @CsvSource({
        "token_embd.weight, model.embed_tokens.weight",
        "output_norm.weight, model.norm.weight",
        "output.weight, lm_head.weight",
        "blk.0.attn_norm.weight, model.layers.0.input_layernorm.weight",
        "blk.12.attn_q.weight, model.layers.12.self_attn.q_proj.weight",
        "blk.12.attn_q.bias, model.layers.12.self_attn.q_proj.bias",
        "blk.3.attn_k.weight, model.layers.3.self_attn.k_proj.weight",
        "blk.3.attn_v.weight, model.layers.3.self_attn.v_proj.weight",
        "blk.29.attn_output.weight, model.layers.29.self_attn.o_proj.weight",
        "blk.7.ffn_norm.weight, model.layers.7.post_attention_layernorm.weight",
        "blk.7.ffn_gate.weight, model.layers.7.mlp.gate_proj.weight",
        "blk.7.ffn_up.weight, model.layers.7.mlp.up_proj.weight",
        "blk.7.ffn_down.weight, model.layers.7.mlp.down_proj.weight",
    })
    void mapsLlamaCppNames(String gguf, String hf) {
        assertThat(GgufTensorNames.toHuggingFace(gguf)).contains(hf);
    }

    @Test
    void unknownNamesMapToNothing() {
        assertThat(GgufTensorNames.toHuggingFace("rope_freqs.weight")).isEmpty();
        assertThat(GgufTensorNames.toHuggingFace("blk.0.ffn_gate_exps.weight")).isEmpty();
        assertThat(GgufTensorNames.toHuggingFace("blk.x.attn_q.weight")).isEmpty();
        assertThat(GgufTensorNames.layerOf("blk.17.attn_q.weight")).isEqualTo(17);
        assertThat(GgufTensorNames.layerOf("output.weight")).isEqualTo(-1);
    }
}
