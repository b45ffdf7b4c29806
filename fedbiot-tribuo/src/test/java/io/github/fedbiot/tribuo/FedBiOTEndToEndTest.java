/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.tribuo.provenance.ModelProvenance;

/**
 * Trains a FedBiOT classifier (tiny random LLaMA with GQA, 4 clients, emulator alignment) from an XML config
 * on arithmetic question categories, evaluates it with Tribuo, round-trips its provenance, and checks the
 * ONNX export in ONNX Runtime and through Tribuo's {@link ONNXExternalModel}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FedBiOTEndToEndTest {
    private static final Logger logger = LoggerFactory.getLogger(FedBiOTEndToEndTest.class);

    @TempDir
    static Path tmp;

    private FedBiOTTrainer trainer;
    private FedBiOTModel model;
    private MutableDataset<Label> test;

    /**
     * Writes a 4-layer LLaMA (GQA 4/2) with seeded random weights and a word-level tokenizer built from the
     * texts. The weights' standard deviation is 0.1, not 0.02: with the LM head frozen at 0.02 no LoRA could move
     * the logits by more than about 1, too little to learn labels from scratch.
     */
    static Path tinyLlama(Path dir, List<String> texts) {
        Path tokenizer = dir.resolve("tokenizer.json");
        int vocab = WordTokenizer.write(tokenizer, texts);
        ModelSpec spec = new ModelSpec(Architecture.LLAMA, "llama", vocab, 64, 4, 4, 2, 16, 128, 96, 1e-5, 10000.0,
                null, false, false, "silu", 0, 0);
        try (DjlBaseModel m = DjlBaseModel.random(spec, 11, 0.1, tokenizer)) {
            m.save(dir);
        }
        return dir;
    }

    @BeforeAll
    void train() {
        MutableDataset<Label> train = ArithmeticCategories.load("train", 100);
        test = ArithmeticCategories.load("test", 25);
        List<String> texts = new ArrayList<>(ArithmeticCategories.LABELS.values());
        train.forEach(e -> texts.add(e.getMetadataValue("text").orElseThrow().toString()));
        Path modelDir = tinyLlama(tmp.resolve("tiny-llama"), texts);
        ConfigurationManager cm = new ConfigurationManager(new String[] {"-c",
            Fixtures.resource("fedbiot-e2e.xml").toString(), "--@fedbiot.modelPath", modelDir.toString()});
        trainer = (FedBiOTTrainer) cm.lookup("fedbiot");
        long start = System.nanoTime();
        model = trainer.train(train);
        logger.info("trained in {} s", (System.nanoTime() - start) / 1e9);
    }

    @AfterAll
    void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void accuracyIsWellAboveTheMajorityClass() {
        LabelEvaluation eval = new LabelEvaluator().evaluate(model, test);
        logger.info("test accuracy {} (majority class 1/3)\n{}", eval.accuracy(), eval.getConfusionMatrix());
        assertThat(eval.accuracy()).isGreaterThan(0.7);
    }

    @Test
    void provenanceSurvivesJsonAndRebuildsTheTrainer() throws Exception {
        ModelProvenance prov = model.getProvenance();
        assertThat(prov.getTrainerProvenance().getClassName()).isEqualTo(FedBiOTTrainer.class.getName());
        assertThat(prov.getDatasetProvenance().getNumExamples()).isEqualTo(300);
        assertThat(prov.getInstanceProvenance().getMap().keySet()).contains("engine", "engine-version", "round-client-loss",
                "round-align-kl", "final-client-loss", "client-sizes");
        logger.info("model provenance:\n{}", ProvenanceUtil.formattedProvenanceString(prov));

        JsonProvenanceSerialization json = new JsonProvenanceSerialization(true);
        String text = json.serializeToString(ProvenanceUtil.marshalProvenance(prov));
        List<ObjectMarshalledProvenance> back = json.deserializeFromString(text);
        assertThat(ProvenanceUtil.unmarshalProvenance(back)).isEqualTo(prov);

        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(prov);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        FedBiOTTrainer rebuilt = (FedBiOTTrainer) cm.lookup(config.get(0).getName());
        assertThat(rebuilt.getProvenance()).isEqualTo(prov.getTrainerProvenance());
    }

    @Test
    void onnxRuntimeGivesTheJavaProbabilities() throws Exception {
        Path onnx = tmp.resolve("fedbiot.onnx");
        model.saveONNXModel("io.github.fedbiot", 1, onnx);
        List<Prediction<Label>> java = model.predict(test);
        int p = model.getFeatureIDMap().size();
        float[][] input = new float[test.size()][p];
        for (int i = 0; i < test.size(); i++) {
            Example<Label> ex = model.tokenExample(test.getExample(i).getMetadataValue("text").orElseThrow()
                    .toString());
            int row = i;
            ex.forEach(f -> input[row][model.getFeatureIDMap().getID(f.getName())] = (float) f.getValue());
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double maxDiff = 0;
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(env, input);
                OrtSession.Result r = session.run(Map.of("input", x))) {
            float[][] probs = (float[][]) r.get("output").orElseThrow().getValue();
            for (int i = 0; i < probs.length; i++) {
                for (int j = 0; j < probs[i].length; j++) {
                    String label = model.getOutputIDInfo().getOutput(j).getLabel();
                    double expected = java.get(i).getOutputScores().get(label).getScore();
                    maxDiff = Math.max(maxDiff, Math.abs(probs[i][j] - expected));
                }
            }
            assertThat(session.getMetadata().getCustomMetadata()).containsKey(FedBiOTModel.META_TEMPLATE);
        }
        logger.info("ONNX Runtime vs Java model: max abs probability difference {} over {} examples", maxDiff,
                test.size());
        assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void tribuoOnnxExternalModelPredictsTheSameLabels() throws Exception {
        Path onnx = tmp.resolve("fedbiot-external.onnx");
        model.saveONNXModel("io.github.fedbiot", 1, onnx);
        List<String> texts = new ArrayList<>();
        for (Example<Label> e : test) {
            texts.add(e.getMetadataValue("text").orElseThrow().toString());
        }
        try (ONNXExternalModel<Label> external = ExternalOnnx.open(model, onnx)) {
            List<Prediction<Label>> viaOnnx = ExternalOnnx.predict(external, model, texts);
            List<Prediction<Label>> viaJava = model.predict(test);
            int same = 0;
            for (int i = 0; i < viaJava.size(); i++) {
                if (viaJava.get(i).getOutput().getLabel().equals(viaOnnx.get(i).getOutput().getLabel())) {
                    same++;
                }
            }
            assertThat(same).isEqualTo(viaJava.size());
            double maxDiff = ExternalOnnx.maxScoreDifference(viaOnnx, viaJava);
            logger.info("ONNXExternalModel vs Java model: max abs score difference {} over {} examples", maxDiff,
                    viaJava.size());
            assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
            assertThat(external.getTribuoProvenance()).contains(model.getProvenance());
        }
    }

    @Test
    void pythonOnnxRuntimeGivesTheJavaProbabilities() throws Exception {
        Path onnx = tmp.resolve("fedbiot-python.onnx");
        model.saveONNXModel("io.github.fedbiot", 1, onnx);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < test.size(); i += 5) {
            texts.add(test.getExample(i).getMetadataValue("text").orElseThrow().toString());
        }
        List<String> args = new ArrayList<>(List.of(onnx.toString(),
                tmp.resolve("tiny-llama/tokenizer.json").toString()));
        args.addAll(texts);
        JsonNode out = new ObjectMapper().readTree(OnnxVenv.classify(args));
        double maxDiff = 0;
        for (int i = 0; i < texts.size(); i++) {
            Prediction<Label> java = model.predict(TextExamples.of(texts.get(i), LabelFactory.UNKNOWN_LABEL));
            for (int j = 0; j < out.get("labels").size(); j++) {
                String label = out.get("labels").get(j).asText();
                maxDiff = Math.max(maxDiff, Math.abs(out.get("probabilities").get(i).get(j).asDouble()
                        - java.getOutputScores().get(label).getScore()));
            }
        }
        String keep = System.getProperty("fedbiot.tribuo.keep");
        if (keep != null) { // -Dfedbiot.tribuo.keep=DIR keeps the files for trying docs/tribuo.md by hand
            Files.createDirectories(Path.of(keep));
            Files.copy(onnx, Path.of(keep, "fedbiot.onnx"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(tmp.resolve("tiny-llama/tokenizer.json"), Path.of(keep, "tokenizer.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        logger.info("Python onnxruntime vs Java model: max abs probability difference {} over {} texts", maxDiff,
                texts.size());
        assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void tokenFeaturesAndMetadataTextGiveTheSamePrediction() {
        Example<Label> byText = test.getExample(0);
        Example<Label> byTokens = model.tokenExample(byText.getMetadataValue("text").orElseThrow().toString());
        double[] a = model.predict(byText).getOutputScores().values().stream().mapToDouble(Label::getScore)
                .toArray();
        double[] b = model.predict(byTokens).getOutputScores().values().stream().mapToDouble(Label::getScore)
                .toArray();
        assertThat(b).containsExactly(a, org.assertj.core.data.Offset.offset(1e-9));
    }
}
