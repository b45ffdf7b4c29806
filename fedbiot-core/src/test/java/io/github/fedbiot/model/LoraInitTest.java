/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoraInitTest {
    private static final ModelSpec SPEC = ModelSpec.llama(1000, 64, 6, 8, 2, 160, 128, false);

    @Test
    void shapesFollowThePeftConvention() {
        NamedTensors t = LoraInit.create(SPEC, LoraSpec.DEFAULT, List.of(5, 4), 7);
        assertThat(t.names()).containsExactly(
                "model.layers.4.self_attn.q_proj.lora_A.weight", "model.layers.4.self_attn.q_proj.lora_B.weight",
                "model.layers.4.self_attn.v_proj.lora_A.weight", "model.layers.4.self_attn.v_proj.lora_B.weight",
                "model.layers.5.self_attn.q_proj.lora_A.weight", "model.layers.5.self_attn.q_proj.lora_B.weight",
                "model.layers.5.self_attn.v_proj.lora_A.weight", "model.layers.5.self_attn.v_proj.lora_B.weight");
        assertThat(t.get("model.layers.4.self_attn.q_proj.lora_A.weight").shape()).containsExactly(8, 64);
        assertThat(t.get("model.layers.4.self_attn.q_proj.lora_B.weight").shape()).containsExactly(64, 8);
        // GQA: v_proj maps 64 -> 2 heads * 8 = 16
        assertThat(t.get("model.layers.4.self_attn.v_proj.lora_B.weight").shape()).containsExactly(16, 8);
    }

    @Test
    void bIsZeroAndAIsWithinTheKaimingBound() {
        NamedTensors t = LoraInit.create(SPEC, new LoraSpec(4, 8, 0, List.of("q_proj", "down_proj")), List.of(0, 1, 2),
                11);
        for (var e : t.asMap().entrySet()) {
            Tensor x = e.getValue();
            if (e.getKey().contains("lora_B")) {
                assertThat(x.squaredNorm()).as(e.getKey()).isZero();
            } else {
                double bound = 1.0 / Math.sqrt(x.dim(1));
                double max = 0;
                double sum = 0;
                for (float v : x.data()) {
                    max = Math.max(max, Math.abs(v));
                    sum += v;
                }
                assertThat(max).as(e.getKey()).isLessThanOrEqualTo(bound).isGreaterThan(0.5 * bound);
                assertThat(Math.abs(sum / x.numel())).as("mean of %s", e.getKey()).isLessThan(0.25 * bound);
            }
        }
        assertThat(t.get("model.layers.0.mlp.down_proj.lora_A.weight").shape()).containsExactly(4, 160);
    }

    @Test
    void deterministicBySeedLayerAndModule() {
        NamedTensors a = LoraInit.create(SPEC, LoraSpec.DEFAULT, List.of(2, 3), 42);
        NamedTensors b = LoraInit.create(SPEC, LoraSpec.DEFAULT, List.of(3, 2), 42);
        assertThat(a).isEqualTo(b);
        // a layer's values do not depend on which other layers are created
        NamedTensors only3 = LoraInit.create(SPEC, LoraSpec.DEFAULT, List.of(3), 42);
        assertThat(only3.get("model.layers.3.self_attn.q_proj.lora_A.weight"))
                .isEqualTo(a.get("model.layers.3.self_attn.q_proj.lora_A.weight"));
        NamedTensors other = LoraInit.create(SPEC, LoraSpec.DEFAULT, List.of(2, 3), 43);
        assertThat(other.get("model.layers.2.self_attn.q_proj.lora_A.weight"))
                .isNotEqualTo(a.get("model.layers.2.self_attn.q_proj.lora_A.weight"));
        // layers and modules get different draws
        assertThat(a.get("model.layers.2.self_attn.q_proj.lora_A.weight"))
                .isNotEqualTo(a.get("model.layers.3.self_attn.q_proj.lora_A.weight"));
        assertThat(a.get("model.layers.2.self_attn.q_proj.lora_A.weight").data())
                .isNotEqualTo(a.get("model.layers.2.self_attn.v_proj.lora_A.weight").data());
    }

    @Test
    void gpt2UsesTheFusedAttention() {
        ModelSpec gpt2 = new ModelSpec(Architecture.GPT2, "gpt2", 100, 32, 2, 4, 4, 8, 128, 64, 1e-5, 0, null, true,
                true, "gelu_new", -1, -1);
        NamedTensors t = LoraInit.create(gpt2, LoraSpec.DEFAULT.forArchitecture(Architecture.GPT2), List.of(1), 1);
        assertThat(t.get("transformer.h.1.attn.c_attn.lora_A.weight").shape()).containsExactly(8, 32);
        assertThat(t.get("transformer.h.1.attn.c_attn.lora_B.weight").shape()).containsExactly(96, 8);
    }

    @Test
    void rejectsBadLayersAndTargets() {
        assertThatThrownBy(() -> LoraInit.create(SPEC, LoraSpec.DEFAULT, List.of(6), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 6)").hasMessageContaining("[6]");
        assertThatThrownBy(() -> LoraInit.create(SPEC, LoraSpec.DEFAULT, List.of(1, 1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
        assertThatThrownBy(() -> LoraInit.create(SPEC, new LoraSpec(8, 16, 0, List.of("c_attn")), List.of(1), 1))
                .isInstanceOf(ConfigException.class).hasMessageContaining("c_attn");
    }
}
