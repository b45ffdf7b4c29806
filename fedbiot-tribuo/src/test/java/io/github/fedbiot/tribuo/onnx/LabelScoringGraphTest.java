/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperators;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * Checks the exported label-scoring graph, run by ONNX Runtime, against Hugging Face transformers: the fixtures
 * hold the logits transformers computed for two token rows (with and without a PEFT LoRA adapter), from which
 * the log-likelihood of a continuation given a prompt follows directly.
 */
class LabelScoringGraphTest {
    private static final Logger logger = LoggerFactory.getLogger(LabelScoringGraphTest.class);
    /** Absolute tolerance on a summed log-likelihood (observed differences: about 5e-6). */
    private static final double TOLERANCE = 1e-4;

    private static Path fixture(String name) {
        return Path.of(System.getProperty("fedbiot.hf.fixtures"), name);
    }

    /** Loads the fixture weights, with the PEFT adapter merged as {@code W += alpha/r * B A} if asked. */
    private static Map<String, Tensor> weights(String model, boolean lora) {
        Map<String, Tensor> w = new HashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(fixture(model).resolve("model.safetensors"))) {
            w.putAll(r.readAll().asMap());
        }
        if (!lora) {
            return w;
        }
        ModelSpec spec = ModelSpec.read(fixture(model));
        NamedTensors adapter;
        try (SafetensorsReader r = SafetensorsReader.open(fixture(model).resolve("adapter/adapter_model.safetensors"))) {
            adapter = r.readAll();
        }
        double scaling = 8.0 / 4.0; // manifest: lora_alpha 8, lora_rank 4
        for (String name : adapter.names()) {
            if (!name.endsWith("lora_A.weight")) {
                continue;
            }
            Tensor a = adapter.get(name);
            Tensor b = adapter.get(name.replace("lora_A", "lora_B"));
            String base = name.replace("base_model.model.", "").replace(".lora_A.weight", ".weight");
            if (!w.containsKey(base) && w.containsKey(base.replace("transformer.", ""))) {
                base = base.replace("transformer.", "");
            }
            Tensor wt = w.get(base);
            int out = b.dim(0);
            int r = b.dim(1);
            int in = a.dim(1);
            float[] data = wt.data().clone();
            boolean conv1d = spec.architecture() == Architecture.GPT2; // Conv1D stores [in, out]
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double d = 0;
                    for (int k = 0; k < r; k++) {
                        d += b.data()[o * r + k] * a.data()[k * in + i];
                    }
                    int idx = conv1d ? i * out + o : o * in + i;
                    data[idx] += (float) (scaling * d);
                }
            }
            w.put(base, new Tensor(wt.shape(), data));
        }
        return w;
    }

    /** Summed log-softmax of the transformers logits for tokens[from..to) of a row. */
    private static double hfLogLikelihood(Tensor logits, long[] tokens, int row, int from, int to) {
        int t = logits.dim(1);
        int v = logits.dim(2);
        double sum = 0;
        for (int j = from; j < to; j++) {
            int base = (row * t + j - 1) * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, logits.data()[base + k]);
            }
            double z = 0;
            for (int k = 0; k < v; k++) {
                z += Math.exp(logits.data()[base + k] - max);
            }
            sum += logits.data()[base + (int) tokens[row * t + j]] - max - Math.log(z);
        }
        return sum;
    }

    /** Builds the graph into a model and runs ONNX Runtime; returns {probabilities, log-likelihoods}. */
    static float[][][] run(ModelSpec spec, Map<String, Tensor> w, List<Integer> stack, int p, int[][] conts,
            float[][] input) throws OrtException {
        ONNXContext ctx = new ONNXContext();
        ONNXPlaceholder in = ctx.floatInput(p);
        ONNXPlaceholder out = ctx.floatOutput(conts.length);
        ONNXPlaceholder llOut = ctx.floatOutput("log_likelihoods", conts.length);
        LabelScoringGraph.Scores s = new LabelScoringGraph(ctx, spec, w::get, stack, p, conts).build(in);
        s.probabilities().assignTo(out);
        s.logLikelihoods().assignTo(llOut);
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.newBuilder().setGraph(ctx.buildGraph()).setIrVersion(8)
                .addOpsetImport(ONNXOperators.getOpsetProto()).build();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(proto.toByteArray(), new OrtSession.SessionOptions());
                OnnxTensor x = OnnxTensor.createTensor(env, input);
                OrtSession.Result r = session.run(Map.of("input", x))) {
            return new float[][][] {(float[][]) r.get(0).getValue(), (float[][]) r.get(1).getValue()};
        }
    }

    private static int[] slice(long[] tokens, int row, int t, int from, int to) {
        return IntStream.range(from, to).map(j -> (int) tokens[row * t + j]).toArray();
    }

    private static float[] promptRow(int[] prompt, int p) {
        float[] row = new float[p];
        for (int i = 0; i < prompt.length; i++) {
            row[i] = prompt[i] + 1f;
        }
        return row;
    }

    @ParameterizedTest(name = "{0} lora={1}")
    @CsvSource({"llama,false", "llama,true", "qwen2,false", "qwen2,true", "gpt2,false", "gpt2,true"})
    void matchesTransformersLogLikelihoods(String model, boolean lora) throws OrtException {
        ModelSpec spec = ModelSpec.read(fixture(model));
        Tensor logits;
        long[] tokens;
        try (SafetensorsReader r = SafetensorsReader.open(fixture(model).resolve("expected.safetensors"))) {
            logits = r.read(lora ? "logits_lora" : "logits");
            tokens = r.readLongs("tokens");
        }
        int t = logits.dim(1);
        // Two prompts of different lengths (6 and 4 tokens), right-padded to P = 8, and two continuations of
        // different lengths (the rest of each row): label i is the true continuation of prompt i.
        int p = 8;
        int[][] conts = {slice(tokens, 0, t, 6, t), slice(tokens, 1, t, 4, t)};
        float[][] input = {promptRow(slice(tokens, 0, t, 0, 6), p), promptRow(slice(tokens, 1, t, 0, 4), p)};
        float[][][] out = run(spec, weights(model, lora), IntStream.range(0, spec.numLayers()).boxed().toList(), p,
                conts, input);
        double expected0 = hfLogLikelihood(logits, tokens, 0, 6, t);
        double expected1 = hfLogLikelihood(logits, tokens, 1, 4, t);
        logger.info("{} lora={}: onnx {} vs transformers {}, onnx {} vs transformers {}", model, lora,
                out[1][0][0], expected0, out[1][1][1], expected1);
        assertThat((double) out[1][0][0]).isCloseTo(expected0, Offset.offset(TOLERANCE));
        assertThat((double) out[1][1][1]).isCloseTo(expected1, Offset.offset(TOLERANCE));
        for (float[] probs : out[0]) {
            assertThat(probs[0] + probs[1]).isCloseTo(1f, Offset.offset(1e-5f));
        }
    }

    @Test
    void loraChangesTheScores() throws OrtException {
        // Guards the test above: the adapter must make a difference the tolerance can see.
        ModelSpec spec = ModelSpec.read(fixture("llama"));
        int[][] conts = {{5, 6, 7}, {8, 9}};
        float[][] input = {promptRow(new int[] {3, 4, 10, 11}, 6)};
        List<Integer> all = List.of(0, 1, 2);
        float plain = run(spec, weights("llama", false), all, 6, conts, input)[1][0][0];
        float adapted = run(spec, weights("llama", true), all, 6, conts, input)[1][0][0];
        assertThat(Math.abs(plain - adapted)).isGreaterThan(1e-2f);
    }

    @Test
    void rejectsTooLongSequencesAndBadTokens() {
        ModelSpec spec = ModelSpec.read(fixture("llama"));
        ONNXContext ctx = new ONNXContext();
        List<Integer> all = List.of(0, 1, 2);
        assertThrows(IllegalArgumentException.class,
                () -> new LabelScoringGraph(ctx, spec, n -> null, all, 60, new int[][] {{1, 2, 3, 4, 5}}));
        assertThrows(IllegalArgumentException.class,
                () -> new LabelScoringGraph(ctx, spec, n -> null, all, 8, new int[][] {{320}}));
        assertThrows(IllegalArgumentException.class,
                () -> new LabelScoringGraph(ctx, spec, n -> null, all, 8, new int[][] {{}}));
        assertThrows(IllegalArgumentException.class,
                () -> new LabelScoringGraph(ctx, spec, n -> null, List.of(3), 8, new int[][] {{1}}));
    }
}
