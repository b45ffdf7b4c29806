/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LoraSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FedbiotConfigBuilderTest {

    private static FedbiotConfig everySectionSet() {
        return FedbiotConfig.builder()
                .optSeed(11)
                .optAlgorithm(Algorithm.FEDOT)
                .optModelDir("/models/tiny")
                .optData(DataConfig.builder().optTrain("/data/train.jsonl").optPublicData("/data/public.jsonl")
                        .optPartition(PartitionScheme.DIRICHLET).optClients(5).optDirichletAlpha(0.3)
                        .optValidationFraction(0.2).optTestFraction(0.05).optMaxLength(64)
                        .optMaxExamplesPerClient(9).optPromptTemplate("Q: {instruction}\nA: ").build())
                .optPlan(new SplitConfig(3, 0.25, 1))
                .optLora(new LoraSpec(4, 8, 0.1f, List.of("q_proj", "k_proj")))
                .optOptimizer(new OptimizerConfig(0.01, 0.9, 0.99, 1e-8, 0.01))
                .optClient(new ClientConfig(3, 2, 1, 0.5, false))
                .optServer(new ServerConfig(4, 2, 0.5, 3, 1, true, false))
                .optFederation(new FederationConfig(7, 0.5, 0, 0.1, 0))
                .optRounds(4)
                .optEval(new EvalConfig(2, 16, 4, 8, 4))
                .build();
    }

    @Test
    void emptyBuilderGivesTheDefaults() {
        assertThat(FedbiotConfig.builder().build()).isEqualTo(FedbiotConfig.DEFAULT);
        assertThat(DataConfig.builder().build()).isEqualTo(DataConfig.DEFAULT);
        assertThat(DataConfig.DEFAULT.promptTemplate()).isEqualTo("alpaca");
    }

    @Test
    void builtConfigRoundTripsThroughTheFileReader(@TempDir Path dir) throws Exception {
        FedbiotConfig built = everySectionSet();
        assertThat(built.federation().rounds()).isEqualTo(4);
        assertThat(built.federation().dropoutProbability()).isEqualTo(0.1);
        assertThat(FedbiotConfigReader.parse(FedbiotConfigReader.toJson(built), false)).isEqualTo(built);
        Path file = dir.resolve("run.json");
        Files.writeString(file, FedbiotConfigReader.toJson(built));
        assertThat(FedbiotConfigReader.read(file)).isEqualTo(built);
    }

    @Test
    void toBuilderChangesOnlyWhatIsSet() {
        FedbiotConfig built = everySectionSet();
        FedbiotConfig other = built.toBuilder().optSeed(12).build();
        assertThat(other).isEqualTo(built.withSeed(12));
        assertThat(built.data().toBuilder().optClients(2).build())
                .isEqualTo(FedbiotConfigReader.parse(FedbiotConfigReader.toJson(built), false).data().toBuilder()
                        .optClients(2).build());
    }

    @Test
    void buildValidatesWithTheReadersMessages() {
        ConfigException clients = catchThrowableOfType(ConfigException.class,
                () -> DataConfig.builder().optClients(0).build());
        ConfigException fromFile = catchThrowableOfType(ConfigException.class,
                () -> FedbiotConfigReader.parse("data:\n  clients: 0\n", true));
        assertThat(clients.key()).isEqualTo("data.clients");
        assertThat(clients).hasMessage(fromFile.getMessage());
        assertThatThrownBy(() -> FedbiotConfig.builder().optData(null).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("data: must be set");
        assertThatThrownBy(() -> FedbiotConfig.builder().optRounds(0))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("federation.rounds: must be >= 1");
    }

    @Test
    void unknownPromptTemplateIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> DataConfig.builder().optPromptTemplate("vicuna").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.prompt_template: unknown template 'vicuna'")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("data.prompt_template"));
        assertThatThrownBy(() -> FedbiotConfigReader.parse("data:\n  prompt_template: vicuna\n", true))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.prompt_template: unknown template 'vicuna'");
        assertThatThrownBy(() -> FedbiotConfigReader.parse("data:\n  prompt_template: 'file:'\n", true))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("data.prompt_template: must name a file");
    }

    @Test
    void readerResolvesATemplateFileAgainstTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.yaml");
        Files.writeString(file, "data:\n  prompt_template: 'file:prompts/short.txt'\n");
        assertThat(FedbiotConfigReader.read(file).data().promptTemplate())
                .isEqualTo("file:" + dir.resolve("prompts/short.txt"));
        assertThat(FedbiotConfigReader.parse("data:\n  prompt_template: chat\n", true).data().promptTemplate())
                .isEqualTo("chat");
    }
}
