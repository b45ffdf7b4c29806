/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
}
