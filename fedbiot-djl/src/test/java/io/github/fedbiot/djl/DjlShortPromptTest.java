/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.config.ClientConfig;
import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.config.EvalConfig;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.PartitionScheme;
import io.github.fedbiot.config.ServerConfig;
import io.github.fedbiot.config.SplitConfig;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.runtime.FederatedDataset;
import io.github.fedbiot.runtime.FederatedSimulation;
import io.github.fedbiot.runtime.SimulationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tiny test model has a 64-token context: a short {@code data.prompt_template} lets it train on a budget
 * the Alpaca prompt alone (about 25 tokens of the word-level tokenizer) does not fit.
 */
class DjlShortPromptTest {
    private static final List<String> WORDS = List.of("one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten");

    private static List<InstructionExample> examples(int n) {
        List<InstructionExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new InstructionExample("the cat sat on " + WORDS.get(i % 10), "", WORDS.get((i + 1) % 10) + " .",
                    ""));
        }
        return out;
    }

    private static FedbiotConfig config(String template) {
        return FedbiotConfig.builder().optSeed(3).optRounds(1)
                .optData(DataConfig.builder().optPartition(PartitionScheme.IID).optClients(2).optMaxLength(16)
                        .optValidationFraction(0.2).optTestFraction(0.2).optPromptTemplate(template).build())
                .optPlan(new SplitConfig(1, 0.5, 1))
                .optLora(new LoraSpec(2, 4, 0f, List.of("q_proj", "v_proj")))
                .optClient(new ClientConfig(1, 2, 1, null, true))
                .optServer(new ServerConfig(1, 1, 0.5, 2, 1, false))
                .optEval(new EvalConfig(1, 2, 1, 2, 2))
                .build();
    }

    @Test
    void shortTemplateTrainsWhereTheAlpacaPromptDoesNotFit() {
        try (DjlBaseModel model = DjlBaseModel.random(TinyModels.llama(), 5, TinyModels.tokenizerJson())) {
            FedbiotConfig alpaca = config("alpaca");
            assertThatThrownBy(() -> new FederatedSimulation(alpaca, model,
                    FederatedDataset.of(alpaca, examples(20), examples(4))).run())
                    .isInstanceOf(FedbiotException.class).hasMessageContaining("data.max_length = 16");

            FedbiotConfig shortPrompt = config("{instruction} ?");
            SimulationResult r = new FederatedSimulation(shortPrompt, model,
                    FederatedDataset.of(shortPrompt, examples(20), examples(4))).run();
            assertThat(r.completed()).isTrue();
            assertThat(r.records()).hasSize(2);
            assertThat(r.records().get(1).training().loss()).isFinite().isPositive();
        }
    }
}
