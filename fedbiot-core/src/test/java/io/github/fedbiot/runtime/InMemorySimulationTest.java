/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.PartitionScheme;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.fake.FakeFederation;
import io.github.fedbiot.fake.FakeModel;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.model.PeftAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's in-memory path: a run without an output directory, its exports and in-memory data. */
class InMemorySimulationTest {

    /** The files under a directory, without the build's own output (surefire writes its reports there). */
    private static List<Path> filesUnder(Path dir) throws IOException {
        Path target = dir.resolve("target");
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.startsWith(target)).filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<InstructionExample> examples(int n) {
        List<InstructionExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new InstructionExample("Add " + i + " and 1", "", "#### " + (i + 1), "c" + i % 3));
        }
        return out;
    }

    @Test
    void runsWithoutWritingAnything(@TempDir Path outDir) throws Exception {
        FedbiotConfig config = FakeFederation.config("fedbiot", 2, "");
        Path cwd = Path.of("").toAbsolutePath();
        List<Path> before = filesUnder(cwd);
        FederatedSimulation sim = new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config));
        SimulationResult r = sim.run();

        assertThat(filesUnder(cwd)).isEqualTo(before);
        assertThat(r.completed()).isTrue();
        assertThat(r.records()).extracting(RoundRecord::round).containsExactly(0, 1, 2);
        assertThat(r.finalScores()).isNotEmpty();
        assertThat(sim.records()).isEqualTo(r.records());
        assertThatThrownBy(sim::checkpointFile).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sim.run(true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("output directory");

        // the same run with a directory gives the same numbers, and its files
        SimulationResult onDisk = new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config),
                outDir).run(false);
        assertThat(onDisk.records()).extracting(RoundRecord::training, RoundRecord::alignment, RoundRecord::emu,
                RoundRecord::fu).isEqualTo(r.records().stream().map(rec -> tuple(
                        rec.training(), rec.alignment(), rec.emu(), rec.fu())).toList());
        assertThat(onDisk.adapterLora().maxAbsDiff(r.adapterLora())).isZero();
        assertThat(outDir.resolve(CheckpointStore.FILE_NAME)).exists();
        assertThat(outDir.resolve("summary.json")).exists();
    }

    @Test
    void savePeftWritesTheAdapterPeftReads(@TempDir Path dir) {
        FedbiotConfig config = FakeFederation.config("fedbiot", 1, "");
        SimulationResult r = new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config)).run();
        r.savePeft(dir);

        PeftAdapter back = PeftAdapter.read(dir);
        assertThat(back.tensors().names()).isEqualTo(r.adapterLora().names());
        assertThat(back.tensors().maxAbsDiff(r.adapterLora())).isZero();
        assertThat(back.lora().rank()).isEqualTo(r.lora().rank());
        assertThat(back.lora().targets()).isEqualTo(r.lora().targets());
        // the fake model has no weights: saveMerged reaches the model (the DJL engine's is tested in fedbiot-cli)
        assertThatThrownBy(() -> r.saveMerged(dir.resolve("merged")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void inMemoryDataIsPartitionedDeterministicallyByTheConfiguredScheme() {
        FedbiotConfig config = FedbiotConfig.builder().optSeed(3)
                .optData(DataConfig.builder().optPartition(PartitionScheme.IID).optClients(4).build()).build();
        List<InstructionExample> train = examples(40);
        List<InstructionExample> pub = examples(5);

        FederatedDataset a = FederatedDataset.of(config, train, pub);
        FederatedDataset b = FederatedDataset.of(config, train, pub);
        FederatedDataset otherSeed = FederatedDataset.of(config.withSeed(4), train, pub);

        assertThat(a).isEqualTo(b);
        assertThat(a).isEqualTo(FederatedDataset.build(config, train, List.of(), pub));
        assertThat(a.clientIds()).containsExactly("client-00", "client-01", "client-02", "client-03");
        assertThat(a.publicExamples()).isEqualTo(pub);
        assertThat(a.clients().stream().mapToInt(c -> c.splits().train().size() + c.splits().validation().size()
                + c.splits().test().size()).sum()).isEqualTo(40);
        assertThat(otherSeed.clients()).isNotEqualTo(a.clients());
    }
}
