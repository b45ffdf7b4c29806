/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Short training runs (one round) on a tiny random LLaMA: category partitioning by a metadata field with
 * emulator alignment on and the adapter in the full model, reproducibility from the seed, and bad data.
 */
class FedBiOTTrainerRunTest {
    @TempDir
    static Path tmp;

    private static Path modelDir;
    private static MutableDataset<Label> data;

    @BeforeAll
    static void model() {
        data = ArithmeticCategories.load("train", 6);
        List<String> texts = new ArrayList<>(ArithmeticCategories.LABELS.values());
        data.forEach(e -> texts.add(e.getMetadataValue("text").orElseThrow().toString()));
        modelDir = FedBiOTEndToEndTest.tinyLlama(tmp.resolve("tiny"), texts);
    }

    private static FedBiOTTrainer trainer(String... overrides) {
        List<String> args = new ArrayList<>(List.of("-c", Fixtures.resource("fedbiot-e2e.xml").toString(),
                "--@fedbiot.modelPath", modelDir.toString(), "--@fedbiot.rounds", "1", "--@fedbiot.localSteps", "2",
                "--@fedbiot.batchSize", "2"));
        args.addAll(List.of(overrides));
        return (FedBiOTTrainer) new ConfigurationManager(args.toArray(String[]::new)).lookup("fedbiot");
    }

    private static Map<String, Provenance> run(FedBiOTModel m) {
        Map<String, Provenance> out = new java.util.HashMap<>();
        m.getProvenance().getInstanceProvenance().forEach(p -> out.put(p.getA(), p.getB()));
        return out;
    }

    @Test
    void categoryPartitionWithAlignmentAndTheFullModel() {
        FedBiOTTrainer t = trainer("--@fedbiot.partitioning", "CATEGORY", "--@fedbiot.partitionKey", "category",
                "--@fedbiot.alignSteps", "1", "--@fedbiot.preAlignRounds", "1", "--@fedbiot.publicFraction", "0.2",
                "--@fedbiot.evaluationMode", "ADAP_FU");
        try (FedBiOTModel m = t.train(data)) {
            Map<String, Provenance> run = run(m);
            @SuppressWarnings("unchecked")
            List<IntProvenance> sizes = ((ListProvenance<IntProvenance>) run.get("client-sizes")).getList();
            assertThat(sizes).hasSize(3); // one client per category
            assertThat(sizes.stream().mapToInt(IntProvenance::getValue).sum()).isEqualTo(18 - 3);
            assertThat(((IntProvenance) run.get("public-size")).getValue()).isEqualTo(3); // floor(0.2 * 18)
            @SuppressWarnings("unchecked")
            List<DoubleProvenance> kl = ((ListProvenance<DoubleProvenance>) run.get("round-align-kl")).getList();
            // Round 0 pre-aligns (R0 * E = 1 step); round 1 aligns nothing (alignment opens rounds after the first).
            assertThat(kl).hasSize(2);
            assertThat(kl.get(0).getValue()).isFinite().isGreaterThanOrEqualTo(0.0);
            assertThat(m.stack()).isEqualTo(t.layerPlan().fullStack());
            assertThat(m.loraTensors().names()).allMatch(n -> n.startsWith("model.layers.2.")
                    || n.startsWith("model.layers.3."));
        }
    }

    @Test
    void theSeedMakesRunsRepeatable() {
        // PyTorch's multi-threaded kernels are not bit-reproducible, and a fresh AdamW's first steps move each
        // weight by about the learning rate whatever the size of its gradient, so float noise can flip a step:
        // the runs use a small learning rate (2 steps of 1e-4 move a weight by at most 2e-4) and compare the
        // trained LoRA, whose initialisation (Kaiming-uniform A, bound 1/sqrt(64) = 0.125) depends on the seed.
        NamedTensors a;
        NamedTensors b;
        NamedTensors c;
        try (FedBiOTModel m = trainer("--@fedbiot.learningRate", "1e-4").train(data)) {
            a = m.loraTensors();
        }
        try (FedBiOTModel m = trainer("--@fedbiot.learningRate", "1e-4").train(data)) {
            b = m.loraTensors();
        }
        try (FedBiOTModel m = trainer("--@fedbiot.learningRate", "1e-4", "--@fedbiot.seed", "8").train(data)) {
            c = m.loraTensors();
        }
        assertThat(a.maxAbsDiff(b)).isLessThan(1e-3);
        assertThat(a.maxAbsDiff(c)).isGreaterThan(1e-2);
    }

    @Test
    void rejectsExamplesWithoutTheirText() {
        LabelFactory f = new LabelFactory();
        MutableDataset<Label> bad = new MutableDataset<>(new SimpleDataSourceProvenance("bad",
                OffsetDateTime.parse("2026-11-26T00:00:00Z"), f), f);
        bad.add(TextExamples.of("What is 1 plus 2?", new Label("add")));
        bad.add(new ArrayExample<>(new Label("add"), new String[] {"x"}, new double[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().train(bad));
        assertThat(e.getMessage()).contains("example 1").contains("metadata 'text'");
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> trainer("--@fedbiot.partitioning", "CATEGORY", "--@fedbiot.partitionKey", "source").train(data));
        assertThat(noKey.getMessage()).contains("metadata 'source'");
    }
}
