/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.config.Algorithm;
import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.data.DatasetFormat;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.PartitionScheme;
import io.github.fedbiot.data.InstructionExample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FederatedDatasetTest {

    /** A file sorted by category, as the embedded task's test.jsonl is: 3 of "b", then 3 of "a", then 2 of "c". */
    private static List<InstructionExample> sortedTest() {
        List<InstructionExample> out = new ArrayList<>();
        for (String cat : List.of("b", "b", "b", "a", "a", "a", "c", "c")) {
            out.add(new InstructionExample("q" + out.size(), "", "a", cat));
        }
        return out;
    }

    private static List<InstructionExample> train() {
        List<InstructionExample> out = new ArrayList<>();
        for (String cat : List.of("a", "b", "c")) {
            for (int i = 0; i < 10; i++) {
                out.add(new InstructionExample("t" + cat + i, "", "a", cat));
            }
        }
        return out;
    }

    private static FedbiotConfig config(Algorithm algorithm) {
        DataConfig d = new DataConfig("", DatasetFormat.AUTO, "", "", DatasetFormat.AUTO, PartitionScheme.CATEGORY, 3,
                0.5, 0.1, 0.0, 128, 0);
        return FedbiotConfig.DEFAULT.withData(d).withAlgorithm(algorithm);
    }

    @Test
    void singleOwnerTestSetIsDealtRoundRobinOverCategories() {
        FederatedDataset data = FederatedDataset.build(config(Algorithm.OFFSITE), train(), sortedTest(), List.of());
        List<InstructionExample> test = data.clients().get(0).splits().test();
        // a cap of 3 examples takes one of every category, and a cap of 6 the first two of each, as the
        // per-category clients of a federation score them
        assertThat(test).extracting(InstructionExample::category)
                .containsExactly("a", "b", "c", "a", "b", "c", "a", "b");
        assertThat(test).extracting(InstructionExample::instruction)
                .containsExactly("q3", "q0", "q6", "q4", "q1", "q7", "q5", "q2");
    }

    @Test
    void federationTestSetsFollowTheClientsCategories() {
        FederatedDataset data = FederatedDataset.build(config(Algorithm.FEDOT), train(), sortedTest(), List.of());
        assertThat(data.clients()).extracting(ClientData::label).containsExactly("a", "b", "c");
        assertThat(data.clients().get(1).splits().test()).extracting(InstructionExample::instruction)
                .containsExactly("q0", "q1", "q2");
    }

    private static List<InstructionExample> examples(String... categories) {
        List<InstructionExample> out = new ArrayList<>();
        for (String cat : categories) {
            out.add(new InstructionExample("e" + out.size(), "", "a", cat));
        }
        return out;
    }

    private static FedbiotConfig config(PartitionScheme partition, int clients, double testFraction) {
        DataConfig d = DataConfig.builder().optPartition(partition).optClients(clients).optTestFraction(testFraction)
                .build();
        return FedbiotConfig.DEFAULT.withData(d).withAlgorithm(Algorithm.FEDOT);
    }

    @Test
    void singleExampleCategoriesLeavingNoTestAreRefused() {
        assertThatThrownBy(() -> FederatedDataset.build(config(PartitionScheme.CATEGORY, 3, 0.1),
                examples("a", "b", "c"), List.of(), List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("data.test_fraction");
                    assertThat(e.getMessage()).contains("cuts no test example").contains("hold 1, 1, 1 examples")
                            .contains("at least 3");
                });
    }

    @Test
    void moreIidClientsThanExamplesCanCutAreRefused() {
        assertThatThrownBy(() -> FederatedDataset.build(config(PartitionScheme.IID, 4, 0.2),
                examples("a", "a", "a", "a", "a", "a", "a", "a"), List.of(), List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("data.test_fraction");
                    assertThat(e.getMessage()).contains("4 clients hold 2, 2, 2, 2 examples");
                });
        // more clients than examples at all: the partitioner says so
        assertThatThrownBy(() -> FederatedDataset.build(config(PartitionScheme.IID, 9, 0.2),
                examples("a", "a", "a"), List.of(), List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("data.clients"));
    }

    @Test
    void aTestFileMatchingNoClientIsRefused() {
        assertThatThrownBy(() -> FederatedDataset.build(config(PartitionScheme.CATEGORY, 3, 0.1), train(),
                examples("x", "y"), List.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("data.test");
                    assertThat(e.getMessage()).contains("[x, y]").contains("[a, b, c]");
                });
        // partly matching: the matching examples are used (the others are warned about)
        FederatedDataset partly = FederatedDataset.build(config(PartitionScheme.CATEGORY, 3, 0.1), train(),
                examples("a", "x"), List.of());
        assertThat(partly.clients()).extracting(c -> c.splits().test().size()).containsExactly(1, 0, 0);
    }

    @Test
    void aRunWithoutFinalTestIsAllowedWhenAskedFor() {
        FederatedDataset data = FederatedDataset.build(config(PartitionScheme.CATEGORY, 3, 0.0),
                examples("a", "b", "c"), List.of(), List.of());
        assertThat(data.clients()).allSatisfy(c -> {
            assertThat(c.splits().test()).isEmpty();
            assertThat(c.splits().train()).isNotEmpty();
        });
        // one small category among larger ones still runs: the other clients carry the test
        List<InstructionExample> skewed = new ArrayList<>(train());
        skewed.add(new InstructionExample("lonely", "", "a", "d"));
        FederatedDataset withSmall = FederatedDataset.build(config(PartitionScheme.CATEGORY, 3, 0.1), skewed,
                List.of(), List.of());
        assertThat(withSmall.clients().get(3).splits().test()).isEmpty();
        assertThat(withSmall.clients().get(0).splits().test()).isNotEmpty();
    }
}
