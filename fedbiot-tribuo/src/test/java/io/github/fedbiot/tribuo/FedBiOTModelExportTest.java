/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Checks that the ONNX export of a {@link FedBiOTModel} (LoRA merged by the engine, then written as a graph)
 * gives, in ONNX Runtime, the label probabilities the Java model computes with the DJL engine: for the LLaMA
 * (GQA, llama3 RoPE), Qwen2 (q/k/v biases) and GPT-2 fixtures, on the full stack and on a compressed one.
 */
class FedBiOTModelExportTest {
    private static final Logger logger = LoggerFactory.getLogger(FedBiOTModelExportTest.class);
    private static final List<String> TEXTS = List.of("the cat sat on the mat", "What is 7 plus 8?",
            "Round 3.14159 to two decimals.", "a", "Federated fine-tuning without the full model.");

    @TempDir
    Path tmp;

    /** Builds a model around a fixture with seeded non-zero LoRA on the given layers. */
    private static FedBiOTModel model(BaseModel base, Path dir, List<Integer> stack, List<String> targets) {
        LoraSpec lora = new LoraSpec(4, 8, 0, targets).forArchitecture(base.spec().architecture());
        NamedTensors init = LoraInit.create(base.spec(), lora, stack, 5);
        NamedTensors.Builder b = NamedTensors.builder();
        SplittableRandom rng = new SplittableRandom(9);
        for (Map.Entry<String, Tensor> e : init.asMap().entrySet()) {
            float[] data = e.getValue().data().clone();
            if (e.getKey().contains("lora_B")) {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (rng.nextGaussian() * 0.1);
                }
            }
            b.add(e.getKey(), new Tensor(e.getValue().shape(), data));
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("labels",
                OffsetDateTime.parse("2026-11-26T00:00:00Z"), factory), factory);
        for (String l : List.of("yes", "no", "maybe")) {
            ds.add(TextExamples.of("x", new Label(l)));
        }
        ModelProvenance prov = new ModelProvenance(FedBiOTModel.class.getName(), OffsetDateTime.now(),
                ds.getProvenance(), new FedBiOTTrainer(Fixtures.hfModel("llama").toString()).getProvenance());
        return new FedBiOTModel("export-test", prov, ds.getOutputIDInfo(), base, lora, b.build(), stack,
                TextExamples.DEFAULT_TEXT_KEY, "Answer: {text}", 24);
    }

    @ParameterizedTest(name = "{0} stack {1}")
    @CsvSource(delimiter = ';', value = {"llama;0,1,2;q_proj,v_proj", "llama;0,2;q_proj,v_proj,o_proj,down_proj",
        "qwen2;0,1;q_proj,k_proj,v_proj", "gpt2;0,1;c_attn", "gpt2;1;c_attn"})
    void onnxRuntimeMatchesTheJavaModel(String fixture, String stackList, String targetList) throws Exception {
        withExport(fixture, stackList, targetList, fixture + ".onnx", (model, onnx, stack) -> {
            int p = model.getFeatureIDMap().size();
            float[][] input = new float[TEXTS.size()][p];
            for (int i = 0; i < TEXTS.size(); i++) {
                int row = i;
                model.tokenExample(TEXTS.get(i)).forEach(f -> input[row][model.getFeatureIDMap().getID(f.getName())]
                        = (float) f.getValue());
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            double maxDiff = 0;
            try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                    OnnxTensor x = OnnxTensor.createTensor(env, input);
                    OrtSession.Result r = session.run(Map.of("input", x))) {
                float[][] probs = (float[][]) r.get("output").orElseThrow().getValue();
                for (int i = 0; i < TEXTS.size(); i++) {
                    Prediction<Label> java = model.predict(TextExamples.of(TEXTS.get(i), LabelFactory.UNKNOWN_LABEL));
                    for (int j = 0; j < probs[i].length; j++) {
                        String label = model.getOutputIDInfo().getOutput(j).getLabel();
                        maxDiff = Math.max(maxDiff, Math.abs(probs[i][j]
                                - java.getOutputScores().get(label).getScore()));
                    }
                }
            }
            logger.info("{} stack {}: max abs probability difference ONNX Runtime vs Java {}", fixture, stack, maxDiff);
            assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
        });
    }

    @ParameterizedTest(name = "{0} stack {1}")
    @CsvSource(delimiter = ';', value = {"llama;0,1,2;q_proj,v_proj", "qwen2;0,1;q_proj,k_proj,v_proj",
        "gpt2;0,1;c_attn"})
    void tribuoOnnxExternalModelGivesTheJavaProbabilities(String fixture, String stackList, String targetList)
            throws Exception {
        withExport(fixture, stackList, targetList, fixture + "-external.onnx", (model, onnx, stack) -> {
            List<Prediction<Label>> java = model.predict(TEXTS.stream()
                    .<Example<Label>>map(t -> TextExamples.of(t, LabelFactory.UNKNOWN_LABEL)).toList());
            try (ONNXExternalModel<Label> external = ExternalOnnx.open(model, onnx)) {
                List<Prediction<Label>> viaOnnx = ExternalOnnx.predict(external, model, TEXTS);
                double maxDiff = ExternalOnnx.maxScoreDifference(viaOnnx, java);
                logger.info("{} stack {}: max abs score difference ONNXExternalModel vs Java {}", fixture, stack,
                        maxDiff);
                assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
                assertThat(ExternalOnnx.labels(viaOnnx)).isEqualTo(ExternalOnnx.labels(java));
                assertThat(viaOnnx).allMatch(Prediction::hasProbabilities);
            }
        });
    }

    /** What a parity test checks on a fixture model and its ONNX export. */
    @FunctionalInterface
    private interface ExportCheck {
        void check(FedBiOTModel model, Path onnx, List<Integer> stack) throws Exception;
    }

    /** Loads a fixture, builds the model with seeded LoRA on the stack, exports it to {@code file}, checks it. */
    private void withExport(String fixture, String stackList, String targetList, String file, ExportCheck check)
            throws Exception {
        Path dir = Fixtures.hfModel(fixture);
        List<Integer> stack = java.util.Arrays.stream(stackList.split(",")).map(Integer::valueOf).toList();
        try (BaseModel base = Engines.get("djl").load(dir);
                FedBiOTModel model = model(base, dir, stack, List.of(targetList.split(",")))) {
            Path onnx = tmp.resolve(file);
            model.saveONNXModel("io.github.fedbiot", 1, onnx);
            check.check(model, onnx, stack);
        }
    }

    @Test
    void loraChangesThePrediction() {
        // Guards the parity test: the LoRA it exports must matter.
        Path dir = Fixtures.hfModel("llama");
        try (BaseModel base = Engines.get("djl").load(dir);
                FedBiOTModel model = model(base, dir, List.of(0, 1, 2), List.of("q_proj", "v_proj"))) {
            double[] with = model.logLikelihoods(TEXTS.get(1));
            FedBiOTModel plain = new FedBiOTModel("plain", model.getProvenance(), model.getOutputIDInfo(), base,
                    new LoraSpec(4, 8, 0, List.of("q_proj", "v_proj")), NamedTensors.empty(), List.of(0, 1, 2),
                    TextExamples.DEFAULT_TEXT_KEY, "Answer: {text}", 24);
            double[] without = plain.logLikelihoods(TEXTS.get(1));
            assertThat(Math.abs(with[0] - without[0])).isGreaterThan(1e-3);
        }
    }

    @Test
    void rejectsExamplesWithoutTextAndJavaSerialization() throws Exception {
        Path dir = Fixtures.hfModel("gpt2");
        try (BaseModel base = Engines.get("djl").load(dir);
                FedBiOTModel model = model(base, dir, List.of(0, 1), List.of("c_attn"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.predict(new org.tribuo.impl.ArrayExample<>(LabelFactory.UNKNOWN_LABEL,
                            new String[] {"other"}, new double[] {1.0})));
            assertThat(e.getMessage()).contains("metadata 'text'");
            try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
                assertThrows(NotSerializableException.class, () -> out.writeObject(model));
            }
        }
    }
}
