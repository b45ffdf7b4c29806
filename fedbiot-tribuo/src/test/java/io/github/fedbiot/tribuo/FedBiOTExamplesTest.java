/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.json.JsonConfigFactory;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import io.github.fedbiot.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Runs docs/examples/fedbiot-trainer.xml and .json as shipped, the way docs/tribuo.md does: only modelPath
 * (a tiny random LLaMA) and the round sizes are overridden on the command line. Each trains on a few reviews,
 * is evaluated by Tribuo, shows that the options it sets took effect, and exports to ONNX, which Tribuo's
 * {@link ONNXExternalModel} scores with the Java model's probabilities.
 */
class FedBiOTExamplesTest {
    private static final Logger logger = LoggerFactory.getLogger(FedBiOTExamplesTest.class);
    private static final List<String> POSITIVE = List.of("Great battery and fast shipping.",
            "Works perfectly, I love it.", "Excellent sound, great value.", "Fast delivery and very good quality.",
            "I love the screen, it is excellent.", "Very good, works as described.");
    private static final List<String> NEGATIVE = List.of("Broke after two days.", "Terrible battery, it died.",
            "Poor quality and slow shipping.", "It stopped working, very bad.", "Awful sound, a waste of money.",
            "Bad screen, it broke quickly.");
    private static final List<String> TEST_POSITIVE = List.of("Great quality, I love the sound.",
            "Fast shipping and excellent value.");
    private static final List<String> TEST_NEGATIVE = List.of("Terrible, it broke after a day.",
            "Poor battery, very bad.");

    @TempDir
    static Path tmp;

    private static Path modelDir;

    @BeforeAll
    static void setUp() {
        ConfigurationManager.addFileFormatFactory(new JsonConfigFactory());
        List<String> texts = new ArrayList<>(List.of("positive", "negative", "Classify the sentiment of this review:"));
        texts.addAll(POSITIVE);
        texts.addAll(NEGATIVE);
        texts.addAll(TEST_POSITIVE);
        texts.addAll(TEST_NEGATIVE);
        modelDir = FedBiOTEndToEndTest.tinyLlama(tmp.resolve("tiny-llama"), texts);
    }

    private static Path example(String file) {
        return Path.of(System.getProperty("fedbiot.root"), "docs", "examples", file);
    }

    private static MutableDataset<Label> reviews(String name, List<String> positive, List<String> negative) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance(name,
                OffsetDateTime.parse("2026-12-03T00:00:00Z"), factory), factory);
        positive.forEach(t -> ds.add(TextExamples.of(t, new Label("positive"))));
        negative.forEach(t -> ds.add(TextExamples.of(t, new Label("negative"))));
        return ds;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fedbiot-trainer.xml", "fedbiot-trainer.json"})
    void theShippedExampleTrainsEvaluatesAndExports(String file) throws Exception {
        // Two rounds, as the server aligns the emulator from the second round on (alignSteps is in effect).
        ConfigurationManager cm = new ConfigurationManager(new String[] {"-c", example(file).toString(),
            "--@fedbiot.modelPath", modelDir.toString(), "--@fedbiot.rounds", "2", "--@fedbiot.localSteps", "2"});
        FedBiOTTrainer trainer = (FedBiOTTrainer) cm.lookup("fedbiot");
        MutableDataset<Label> train = reviews("reviews-train", POSITIVE, NEGATIVE);
        MutableDataset<Label> test = reviews("reviews-test", TEST_POSITIVE, TEST_NEGATIVE);
        try (FedBiOTModel model = trainer.train(train)) {
            Map<String, Provenance> run = new HashMap<>();
            model.getProvenance().getInstanceProvenance().forEach(p -> run.put(p.getA(), p.getB()));
            @SuppressWarnings("unchecked")
            List<IntProvenance> sizes = ((ListProvenance<IntProvenance>) run.get("client-sizes")).getList();
            // CATEGORY with an empty partitionKey: one client per label; publicFraction 0.1 of 12 keeps 1.
            assertThat(sizes).hasSize(2);
            assertThat(((IntProvenance) run.get("public-size")).getValue()).isEqualTo(1);
            assertThat(sizes.stream().mapToInt(IntProvenance::getValue).sum()).isEqualTo(11);
            @SuppressWarnings("unchecked")
            List<DoubleProvenance> kl = ((ListProvenance<DoubleProvenance>) run.get("round-align-kl")).getList();
            assertThat(kl.get(kl.size() - 1).getValue()).isFinite();
            // ADAP_FU runs the full model; maxPromptTokens 0 picks min(256, context - 16); LoRA on q/v only.
            assertThat(model.stack()).isEqualTo(trainer.layerPlan().fullStack());
            assertThat(model.getFeatureIDMap().size()).isEqualTo(Math.min(256, ModelSpec.read(modelDir)
                    .maxPositions() - 16));
            assertThat(model.loraTensors().names()).isNotEmpty().allMatch(n -> n.contains("q_proj")
                    || n.contains("v_proj"));
            assertThat(ProvenanceUtil.convertToMap(trainer.getProvenance())).containsEntry("promptTemplate",
                    "Classify the sentiment of this review: {text}");

            LabelEvaluation eval = new LabelEvaluator().evaluate(model, test);
            logger.info("{}: accuracy {} on {} reviews", file, eval.accuracy(), test.size());
            assertThat(eval.getPredictions()).hasSize(test.size());
            assertThat(eval.accuracy()).isBetween(0.0, 1.0);

            Path onnx = tmp.resolve(file + ".onnx");
            model.saveONNXModel("io.github.fedbiot", 1, onnx);
            List<Prediction<Label>> java = model.predict(test);
            try (ONNXExternalModel<Label> external = ExternalOnnx.open(model, onnx)) {
                List<String> texts = new ArrayList<>(TEST_POSITIVE);
                texts.addAll(TEST_NEGATIVE);
                List<Prediction<Label>> viaOnnx = ExternalOnnx.predict(external, model, texts);
                double maxDiff = ExternalOnnx.maxScoreDifference(viaOnnx, java);
                logger.info("{}: max abs score difference ONNXExternalModel vs Java {}", file, maxDiff);
                assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
                assertThat(ExternalOnnx.labels(viaOnnx)).isEqualTo(ExternalOnnx.labels(java));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fedbiot-trainer.xml", "fedbiot-trainer.json"})
    void theShippedModelPathIsWhereTheBuildPutsTheDefaultModel(String file) {
        Path expected = Path.of(System.getProperty("user.home"), ".cache", "fedbiot", "models",
                "smollm2-135m-instruct");
        ConfigurationManager cm = new ConfigurationManager(new String[] {"-c", example(file).toString()});
        if (Files.isRegularFile(expected.resolve("config.json"))) {
            FedBiOTTrainer trainer = (FedBiOTTrainer) cm.lookup("fedbiot");
            assertThat(ProvenanceUtil.convertToMap(trainer.getProvenance())).containsEntry("modelPath",
                    expected.toString());
        } else {
            PropertyException e = assertThrows(PropertyException.class, () -> cm.lookup("fedbiot"));
            assertThat(e.getProperty()).isEqualTo("modelPath");
            assertThat(e.getMessage()).contains(expected.toString());
        }
    }

    @Test
    void theExamplesSetNoOptionTheirPartitioningIgnores() throws Exception {
        for (String file : List.of("fedbiot-trainer.xml", "fedbiot-trainer.json")) {
            String text = Files.readString(example(file));
            assertThat(text).contains("CATEGORY").doesNotContain("\"numClients\"").doesNotContain("\"dirichletAlpha\"");
        }
    }
}
