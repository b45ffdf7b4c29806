/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

// tag::imports[]
import io.github.fedbiot.config.ClientConfig;
import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.config.EvalConfig;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.PartitionScheme;
import io.github.fedbiot.config.ServerConfig;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.runtime.FederatedDataset;
import io.github.fedbiot.runtime.FederatedSimulation;
import io.github.fedbiot.runtime.SimulationResult;
import java.nio.file.Path;
import java.util.List;
// end::imports[]
import io.github.fedbiot.data.DatasetFormat;
import io.github.fedbiot.data.InstructionDatasetLoader;
import io.github.fedbiot.model.PeftAdapter;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortest library program of docs/library.md, run on the tiny model; the test also checks that the
 * document shows this very code, so the two cannot drift apart.
 */
class LibraryQuickstartTest {

    // tag::quickstart[]
    static SimulationResult fineTune(Path modelDir, List<InstructionExample> train,
            List<InstructionExample> publicData, Path adapterDir, Path mergedDir) {
        FedbiotConfig config = FedbiotConfig.builder()
                .optRounds(2)
                .optData(DataConfig.builder().optPartition(PartitionScheme.IID).optClients(2)
                        .optMaxLength(48).optPromptTemplate("{instruction} =").build())
                .optClient(new ClientConfig(2, 2, 1, null, true))     // 2 local steps of 2 examples
                .optServer(new ServerConfig(2, 1, 0.9, 2, 1, false))  // 2 alignment steps per round
                .optEval(new EvalConfig(1, 8, 2, 8, 8))
                .build();
        try (BaseModel model = Engines.getDefault().load(modelDir)) {
            FederatedDataset data = FederatedDataset.of(config, train, publicData);
            SimulationResult result = new FederatedSimulation(config, model, data).run();  // in memory
            result.records().forEach(r -> System.out.println(r.round() + ": " + r.training().loss()));
            result.savePeft(adapterDir);    // adapter_config.json + adapter_model.safetensors
            result.saveMerged(mergedDir);   // config.json + model.safetensors + tokenizer files
            return result;
        }
    }
    // end::quickstart[]

    @Test
    void quickstartTrainsSavesTheAdapterAndTheMergedModel(@TempDir Path tmp) throws Exception {
        Path modelDir = TinyFederation.saveModel(tmp.resolve("model"));
        List<InstructionExample> train = InstructionDatasetLoader.load(
                TinyFederation.resource("train.jsonl").toString(), DatasetFormat.AUTO);
        List<InstructionExample> pub = InstructionDatasetLoader.load(
                TinyFederation.resource("public.jsonl").toString(), DatasetFormat.AUTO);
        Path adapterDir = tmp.resolve("adapter");
        Path mergedDir = tmp.resolve("merged");

        SimulationResult result = fineTune(modelDir, train, pub, adapterDir, mergedDir);

        assertThat(result.completed()).isTrue();
        assertThat(result.records()).hasSize(3);
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model", "adapter",
                    "merged");
        }
        PeftAdapter adapter = PeftAdapter.read(adapterDir);
        assertThat(adapter.tensors().names()).isEqualTo(result.adapterLora().names());
        assertThat(adapter.tensors().maxAbsDiff(result.adapterLora())).isZero();
        try (BaseModel merged = Engines.getDefault().load(mergedDir)) {
            assertThat(merged.spec()).isEqualTo(TinyFederation.spec());
            assertThat(merged.hasTokenizer()).isTrue();
        }
    }

    @Test
    void docsShowTheQuickstartAsTested() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/github/fedbiot/cli/LibraryQuickstartTest.java"));
        String doc = Files.readString(Path.of("../docs/library.md"));
        assertThat(doc).contains(region(source, "imports")).contains(region(source, "quickstart"));
    }

    /** Returns the lines between {@code tag::name[]} and {@code end::name[]}, de-indented as the doc shows them. */
    private static String region(String source, String name) {
        String start = "// tag::" + name + "[]\n";
        int from = source.indexOf(start) + start.length();
        int to = source.indexOf("// end::" + name + "[]");
        return source.substring(from, to).stripTrailing().stripIndent();
    }
}
