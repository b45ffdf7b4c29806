/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.config.Algorithm;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import org.junit.jupiter.api.Test;

class TrainingStrategyTest {

    @Test
    void fedbiotUsesTheLastKLayersAndAlignsEveryRound() {
        TrainingStrategy s = TrainingStrategy.of(FedbiotConfig.DEFAULT, 32);
        assertThat(s.adapterLayers()).containsExactly(30, 31);
        // LLaMA-2-7B, K = 2, beta = 0.2: 24 emulator layers (the reference code's table)
        assertThat(s.emulatorLoraLayers()).hasSize(24).startsWith(0, 1, 2, 3, 5).endsWith(27, 29);
        assertThat(s.preAlignSteps()).isEqualTo(500);
        assertThat(s.alignSteps()).isEqualTo(10);
        assertThat(s.singleClient()).isFalse();
    }

    @Test
    void baselinesUseFirstAndLastTwoWithAFixedEmulator() {
        TrainingStrategy fedot = TrainingStrategy.of(FedbiotConfig.DEFAULT.withAlgorithm(Algorithm.FEDOT), 32);
        assertThat(fedot.adapterLayers()).containsExactly(0, 1, 30, 31);
        assertThat(fedot.emulatorLoraLayers()).isEmpty();
        assertThat(fedot.preAlignSteps()).isZero();
        assertThat(fedot.alignSteps()).isZero();
        assertThat(fedot.plan().compressedDepth()).isEqualTo(26);

        TrainingStrategy distilled = TrainingStrategy.of(FedbiotConfigReader.parse(
                "algorithm: fedot\nserver:\n  fedot_distill: true\n  pre_align_rounds: 3\n  align_steps: 4\n", true), 32);
        assertThat(distilled.emulatorLoraLayers()).hasSize(22);
        assertThat(distilled.preAlignSteps()).isEqualTo(12);
        assertThat(distilled.alignSteps()).isZero();

        TrainingStrategy offsite = TrainingStrategy.of(FedbiotConfig.DEFAULT.withAlgorithm(Algorithm.OFFSITE), 32);
        assertThat(offsite.singleClient()).isTrue();
        assertThat(offsite.adapterLayers()).containsExactly(0, 1, 30, 31);
    }

    @Test
    void fullModelFedAvgHasNoEmulator() {
        TrainingStrategy s = TrainingStrategy.of(FedbiotConfig.DEFAULT.withAlgorithm(Algorithm.FEDAVG_FULL), 6);
        assertThat(s.adapterLayers()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(s.plan().hasEmulator()).isFalse();
        assertThat(s.plan().compressedStack()).isEqualTo(s.plan().fullStack());
    }

    @Test
    void planThatDoesNotFitTheModelNamesTheKey() {
        FedbiotConfig c = FedbiotConfigReader.parse("plan:\n  adapter_layers: 4\n", true);
        assertThatThrownBy(() -> TrainingStrategy.of(c, 4)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("plan.adapter_layers"));
    }

    @Test
    void seedsAreStableAndIndependent() {
        assertThat(Seeds.derive(1, "sampling", 3)).isEqualTo(Seeds.derive(1, "sampling", 3))
                .isNotEqualTo(Seeds.derive(1, "sampling", 4)).isNotEqualTo(Seeds.derive(1, "dropout", 3))
                .isNotEqualTo(Seeds.derive(2, "sampling", 3));
        assertThat(Seeds.forClient(1, "x", "client-00", 1)).isNotEqualTo(Seeds.forClient(1, "x", "client-01", 1));
    }
}
