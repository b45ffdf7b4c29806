/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.algorithm.FedAvgAggregator;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.algorithm.ServerSettings;
import io.github.fedbiot.algorithm.TrainingStrategy;
import io.github.fedbiot.algorithm.UpdateValidator;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.data.BatchCollator;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pre-alignment on the real engine: by default R0 blocks of E steps, each with a fresh AdamW state (as the
 * reference code calls its server trainer R0 times); {@code server.pre_align_fresh_optimizer: false} runs one
 * AdamW over all R0 * E steps. Each mode is checked against the engine's alignment called directly.
 */
class DjlPreAlignTest {
    private static final ModelSpec SPEC = TinyModels.llama();
    private static final int R0 = 3;
    private static final int E = 2;
    private static final int BATCH = 2;
    private static DjlBaseModel model;

    @BeforeAll
    static void load() {
        model = DjlBaseModel.random(SPEC, 31, 0.3, null);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static FedbiotConfig config(boolean fresh) {
        return FedbiotConfigReader.parse("""
                algorithm: fedbiot
                plan: {adapter_layers: 1, drop_rate: 0.5}
                lora: {rank: 4, alpha: 8, dropout: 0.0}
                optimizer: {lr: 0.05}
                server: {align_steps: %d, pre_align_rounds: %d, kl_weight: 0.5, batch_size: %d, grad_accum: 1,
                         pre_align_fresh_optimizer: %s}
                """.formatted(E, R0, BATCH, fresh), true);
    }

    private static List<TokenizedExample> publicExamples() {
        List<TokenizedExample> out = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            out.add(new TokenizedExample(TinyModels.sequenceBatch(1, 12, 2, 100 + s).tokens(), 2));
        }
        return out;
    }

    private static FedBiOTServer server(FedbiotConfig c) {
        LoraSpec lora = c.lora().forArchitecture(SPEC.architecture());
        TrainingStrategy strategy = TrainingStrategy.of(c, SPEC.numLayers());
        return new FedBiOTServer(model, strategy, ServerSettings.of(c, strategy, lora),
                new ExampleStream<>(publicExamples(), 7), new BatchCollator(0), new FedAvgAggregator(),
                new UpdateValidator(Set.of(), 1));
    }

    /** Runs the engine's alignment in blocks of {@code block} steps, each a separate call (fresh AdamW). */
    private static NamedTensors direct(FedbiotConfig c, FedBiOTServer fresh, int block) {
        LoraSpec lora = c.lora().forArchitecture(SPEC.architecture());
        ExampleStream<TokenizedExample> stream = new ExampleStream<>(publicExamples(), 7);
        BatchCollator collator = new BatchCollator(0);
        NamedTensors emulator = fresh.emulatorLora();
        for (int done = 0; done < R0 * E; done += block) {
            List<List<Batch>> steps = new ArrayList<>();
            for (int i = 0; i < block; i++) {
                steps.add(List.of(collator.collate(stream.next(BATCH))));
            }
            emulator = model.alignEmulator(new AlignRequest(fresh.strategy().plan(), lora, fresh.adapterLora(),
                    emulator, steps, c.optimizer(), c.server().klWeight(), 0)).emulatorLora();
        }
        return emulator;
    }

    private static boolean same(NamedTensors x, NamedTensors y) {
        return x.names().equals(y.names()) && x.names().stream().allMatch(n -> x.get(n).contentEquals(y.get(n)));
    }

    @Test
    void preAlignmentRunsR0BlocksOfESteps() {
        FedbiotConfig c = config(true);
        assertThat(FedbiotConfig.DEFAULT.server().preAlignFreshOptimizer()).isTrue();
        FedBiOTServer server = server(c);
        NamedTensors blocks = direct(c, server(c), E);
        NamedTensors oneBlock = direct(c, server(c), R0 * E);
        assertThat(same(blocks, oneBlock)).as("fresh optimizers change the result: the test can fail").isFalse();

        AlignResult r = server.preAlign(0);
        assertThat(r.steps()).isEqualTo(R0 * E);
        assertThat(same(r.emulatorLora(), blocks)).as("pre-alignment = R0 calls of E steps").isTrue();
        assertThat(same(server.emulatorLora(), blocks)).isTrue();
    }

    @Test
    void theSwitchKeepsOneOptimizerOverAllSteps() {
        FedbiotConfig c = config(false);
        FedBiOTServer server = server(c);
        AlignResult r = server.preAlign(0);
        assertThat(r.steps()).isEqualTo(R0 * E);
        assertThat(same(r.emulatorLora(), direct(c, server(c), R0 * E))).isTrue();
    }
}
