/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoraSpecTest {

    @Test
    void defaultIsTheReferenceConfiguration() {
        assertThat(LoraSpec.DEFAULT.rank()).isEqualTo(8);
        assertThat(LoraSpec.DEFAULT.alpha()).isEqualTo(16.0);
        assertThat(LoraSpec.DEFAULT.dropout()).isEqualTo(0.05);
        assertThat(LoraSpec.DEFAULT.targets()).containsExactly("q_proj", "v_proj");
        assertThat(LoraSpec.DEFAULT.scaling()).isEqualTo(2.0);
    }

    @Test
    void forArchitectureMapsQkvToGpt2FusedAttention() {
        LoraSpec gpt2 = LoraSpec.DEFAULT.forArchitecture(Architecture.GPT2);
        assertThat(gpt2.targets()).containsExactly("c_attn");
        assertThat(gpt2.rank()).isEqualTo(8);
        assertThat(new LoraSpec(4, 8, 0, List.of("q_proj", "k_proj", "v_proj", "c_fc"))
                .forArchitecture(Architecture.GPT2).targets()).containsExactly("c_attn", "c_fc");
        assertThat(LoraSpec.DEFAULT.forArchitecture(Architecture.LLAMA)).isEqualTo(LoraSpec.DEFAULT);
    }

    @Test
    void forArchitectureRejectsForeignModules() {
        assertThatThrownBy(() -> LoraSpec.DEFAULT.forArchitecture(Architecture.GPT2).forArchitecture(Architecture.LLAMA))
                .isInstanceOf(ConfigException.class).hasMessageContaining("c_attn")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("lora.targets");
        assertThatThrownBy(() -> new LoraSpec(8, 16, 0, List.of("o_proj")).forArchitecture(Architecture.GPT2))
                .isInstanceOf(ConfigException.class).hasMessageContaining("o_proj");
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertKey(() -> new LoraSpec(0, 16, 0, List.of("q_proj")), "lora.rank");
        assertKey(() -> new LoraSpec(8, 0, 0, List.of("q_proj")), "lora.alpha");
        assertKey(() -> new LoraSpec(8, Double.NaN, 0, List.of("q_proj")), "lora.alpha");
        assertKey(() -> new LoraSpec(8, 16, 1.0, List.of("q_proj")), "lora.dropout");
        assertKey(() -> new LoraSpec(8, 16, -0.1, List.of("q_proj")), "lora.dropout");
        assertKey(() -> new LoraSpec(8, 16, 0, List.of()), "lora.targets");
        assertKey(() -> new LoraSpec(8, 16, 0, null), "lora.targets");
    }

    @Test
    void targetsAreCopied() {
        List<String> targets = new ArrayList<>(List.of("q_proj"));
        LoraSpec s = new LoraSpec(8, 16, 0, targets);
        targets.add("v_proj");
        assertThat(s.targets()).containsExactly("q_proj");
    }

    private static void assertKey(Runnable r, String key) {
        assertThatThrownBy(r::run).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }
}
