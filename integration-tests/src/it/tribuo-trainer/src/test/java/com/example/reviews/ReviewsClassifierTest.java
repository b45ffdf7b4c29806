package com.example.reviews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import io.github.fedbiot.tribuo.FedBiOTModel;
import io.github.fedbiot.tribuo.FedBiOTTrainer;
import io.github.fedbiot.tribuo.TextExamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.interop.onnx.DenseTransformer;
import org.tribuo.interop.onnx.LabelTransformer;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * docs/tribuo.md sections 1, 3, 5 and 6 as a user writes them, with the shipped example configuration; only the
 * model (a tiny random LLaMA, system property fedbiot.model) and the round sizes are overridden.
 */
class ReviewsClassifierTest {
    @TempDir
    Path tmp;

    private static MutableDataset<Label> reviews(String name, List<String> positive, List<String> negative) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(
                new SimpleDataSourceProvenance(name, OffsetDateTime.now(), factory), factory);
        positive.forEach(t -> ds.add(TextExamples.of(t, new Label("positive"))));
        negative.forEach(t -> ds.add(TextExamples.of(t, new Label("negative"))));
        return ds;
    }

    @Test
    void trainsEvaluatesExportsAndScoresTheExportLikeTheJavaModel() throws Exception {
        List<String> testPositive = List.of("Great quality, I love the sound.", "Fast shipping and excellent value.");
        List<String> testNegative = List.of("Terrible, it broke after a day.", "Poor battery, very bad.");
        MutableDataset<Label> train = reviews("reviews-train",
                List.of("Great battery and fast shipping.", "Works perfectly, I love it.", "Excellent sound, great value.",
                        "Fast delivery and very good quality.", "I love the screen, it is excellent.",
                        "Very good, works as described."),
                List.of("Broke after two days.", "Terrible battery, it died.", "Poor quality and slow shipping.",
                        "It stopped working, very bad.", "Awful sound, a waste of money.", "Bad screen, it broke quickly."));
        MutableDataset<Label> test = reviews("reviews-test", testPositive, testNegative);

        Path example = Path.of(System.getProperty("fedbiot.root"), "docs", "examples", "fedbiot-trainer.xml");
        ConfigurationManager cm = new ConfigurationManager(new String[] {"-c", example.toString(),
            "--@fedbiot.modelPath", System.getProperty("fedbiot.model"), "--@fedbiot.rounds", "2",
            "--@fedbiot.localSteps", "1", "--@fedbiot.alignSteps", "1", "--@fedbiot.batchSize", "2"});
        FedBiOTTrainer trainer = (FedBiOTTrainer) cm.lookup("fedbiot");
        try (FedBiOTModel model = trainer.train(train)) {
            LabelEvaluation eval = new LabelEvaluator().evaluate(model, test);
            System.out.println("accuracy " + eval.accuracy() + "\n" + eval.getConfusionMatrix());
            assertEquals(test.size(), eval.getPredictions().size());

            Path onnx = tmp.resolve("fedbiot.onnx");
            model.saveONNXModel("io.github.fedbiot", 1, onnx);
            assertTrue(Files.size(onnx) > 0);

            Map<String, Integer> features = new HashMap<>();
            model.getFeatureIDMap().forEach(v -> features.put(v.getName(), model.getFeatureIDMap().getID(v.getName())));
            Map<Label, Integer> outputs = new HashMap<>();
            model.getOutputIDInfo().getDomain().forEach(l -> outputs.put(l, model.getOutputIDInfo().getID(l)));
            try (ONNXExternalModel<Label> external = ONNXExternalModel.createOnnxModel(new LabelFactory(), features,
                    outputs, new DenseTransformer(), new LabelTransformer(), new OrtSession.SessionOptions(), onnx,
                    "input")) {
                List<String> texts = new ArrayList<>(testPositive);
                texts.addAll(testNegative);
                List<Example<Label>> tokens = new ArrayList<>();
                texts.forEach(t -> tokens.add(model.tokenExample(t)));
                List<Prediction<Label>> viaOnnx = external.predict(tokens);
                List<Prediction<Label>> java = model.predict(test);
                double max = 0;
                for (int i = 0; i < java.size(); i++) {
                    assertEquals(java.get(i).getOutput().getLabel(), viaOnnx.get(i).getOutput().getLabel());
                    for (Map.Entry<String, Label> e : java.get(i).getOutputScores().entrySet()) {
                        max = Math.max(max, Math.abs(e.getValue().getScore()
                                - viaOnnx.get(i).getOutputScores().get(e.getKey()).getScore()));
                    }
                }
                System.out.println("max abs score difference ONNXExternalModel vs Java " + max);
                assertTrue(max <= 1e-4, "ONNXExternalModel differs from the Java model by " + max);
            }
        }
    }
}
