/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.djl.internal.ModelDropout;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks where the engine drops against the double-precision forward of {@link ReferenceForwardTest}, with the
 * dropout inserted where transformers 5 (read in 5.24.0) applies it: LLaMA's {@code attention_dropout} on the attention
 * probabilities; GPT-2's {@code embd_pdrop} after {@code wte + wpe}, {@code attn_pdrop} on the attention
 * probabilities, {@code resid_pdrop} after {@code attn.c_proj} and after {@code mlp.c_proj}. The reference uses the
 * engine's own masks (read off each site applied to ones), so the training loss of the first micro-batch must
 * agree to float precision; with the dropout moved or left out it does not.
 */
class DjlDropoutReferenceTest {
    private static final int B = 2;
    private static final int T = 6;
    private static final long SEED = 9;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gpt2"})
    void theFirstTrainingLossMatchesTheReferenceWithTheSameMasks(String family) {
        boolean gpt2 = family.equals("gpt2");
        ModelSpec spec = TinyModels.withDropout(gpt2 ? TinyModels.gpt2() : TinyModels.llama(), gpt2
                ? Map.of("attn_pdrop", 0.3, "resid_pdrop", 0.3, "embd_pdrop", 0.3)
                : Map.of("attention_dropout", 0.3));
        LoraSpec lora = new LoraSpec(4, 8, 0.0, gpt2 ? List.of("c_attn", "mlp.c_proj") : List.of("q_proj", "o_proj"));
        List<Integer> stack = gpt2 ? List.of(0, 2) : List.of(0, 1, 3);
        Batch batch = TinyModels.sequenceBatch(B, T, 1, 3);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 51, 0.2, null)) {
            NamedTensors tensors = DjlTrainLocalTest.randomLora(spec, lora, stack, 52, 0.2);
            LocalTrainResult r = model.trainLocal(new LocalTrainRequest(stack, lora, NamedTensors.empty(), tensors,
                    List.of(List.of(batch)), OptimizerConfig.DEFAULT, 0, true, SEED));
            NamedTensors w = DjlModelProbe.baseWeights(model);
            Map<String, float[]> masks = masks(spec, stack);
            double withMasks = 0;
            double withoutMasks = 0;
            for (int b = 0; b < B; b++) {
                int[] row = Arrays.copyOfRange(batch.tokens(), b * T, b * T + T);
                ReferenceForwardTest.Drop drop = drop(spec, masks, b);
                withMasks += crossEntropySum(gpt2 ? ReferenceForwardTest.gpt2(spec, w, lora, tensors, stack, row, drop)
                        : ReferenceForwardTest.llama(spec, w, lora, tensors, stack, row, drop), batch, b);
                ReferenceForwardTest.Drop none = ReferenceForwardTest.Drop.NONE;
                withoutMasks += crossEntropySum(gpt2 ? ReferenceForwardTest.gpt2(spec, w, lora, tensors, stack, row,
                        none) : ReferenceForwardTest.llama(spec, w, lora, tensors, stack, row, none), batch, b);
            }
            withMasks /= batch.targetCount();
            withoutMasks /= batch.targetCount();
            assertThat(r.meanLoss()).isCloseTo(withMasks, within(2e-5 * withMasks));
            assertThat(Math.abs(withoutMasks - withMasks)).as("the masks matter").isGreaterThan(1e-2);
        }
    }

    /** Reads the engine's masks of step 0, micro-batch 0: every site of every layer applied to ones. */
    private static Map<String, float[]> masks(ModelSpec spec, List<Integer> stack) {
        ModelDropout d = ModelDropout.forTraining(spec, SEED).at(0, 0);
        int kv = spec.numKvHeads();
        int g = spec.numHeads() / kv;
        Map<String, float[]> out = new HashMap<>();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Shape hidden = new Shape(B, T, spec.hiddenSize());
            out.put("embd", d.embeddings(m.ones(hidden)).toFloatArray());
            for (int layer : stack) {
                // attention probabilities as the engine holds them: [B, Hkv, G * T, Tk]
                out.put("probs" + layer, d.attentionProbs(layer, m.ones(new Shape(B, kv, (long) g * T, T)))
                        .toFloatArray());
                out.put("attn_out" + layer, d.attentionOutput(layer, m.ones(hidden)).toFloatArray());
                out.put("mlp_out" + layer, d.mlpOutput(layer, m.ones(hidden)).toFloatArray());
            }
        }
        return out;
    }

    /** The reference's dropout of batch row {@code b}, from the engine's masks. */
    private static ReferenceForwardTest.Drop drop(ModelSpec spec, Map<String, float[]> masks, int b) {
        int d = spec.hiddenSize();
        int kv = spec.numKvHeads();
        int g = spec.numHeads() / kv;
        return new ReferenceForwardTest.Drop() {
            @Override
            public double[][] hidden(String site, int layer, double[][] x) {
                float[] mask = masks.get(layer < 0 ? site : site + layer);
                double[][] y = new double[x.length][d];
                for (int t = 0; t < x.length; t++) {
                    for (int j = 0; j < d; j++) {
                        y[t][j] = x[t][j] * mask[(b * T + t) * d + j];
                    }
                }
                return y;
            }

            @Override
            public double prob(int layer, int head, int query, int key, double p) {
                // query head j * G + g reads KV head j; its rows are folded as g * T + query
                int row = (head % g) * T + query;
                return p * masks.get("probs" + layer)[((b * kv + head / g) * g * T + row) * T + key];
            }
        };
    }

    /** Sums {@code -log softmax(logits[t - 1])[label[t]]} over the labelled positions of row {@code b}. */
    private static double crossEntropySum(double[][] logits, Batch batch, int b) {
        double sum = 0;
        for (int t = 1; t < T; t++) {
            int label = batch.labels()[b * T + t];
            if (label == Batch.IGNORE) {
                continue;
            }
            double[] z = logits[t - 1];
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double s = 0;
            for (double v : z) {
                s += Math.exp(v - max);
            }
            sum -= z[label] - max - Math.log(s);
        }
        return sum;
    }
}
