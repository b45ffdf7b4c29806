/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The config's dropout at the level of single operations: which site reads which key, the fraction zeroed and
 * the expectation kept (inverted dropout), seeded masks, and no operation at all when a probability is 0.
 */
class ModelDropoutTest {
    private static final ModelSpec GPT2 = new ModelSpec(Architecture.GPT2, "gpt2", 64, 32, 2, 4, 4, 8, 128, 64,
            1e-5, 0, null, true, true, "gelu_new", -1, 2);
    private static final ModelSpec LLAMA = ModelSpec.llama(64, 32, 2, 4, 2, 64, 64, false);

    static ModelSpec withDropout(ModelSpec s, Map<String, Double> dropout) {
        return new ModelSpec(s.architecture(), s.modelType(), s.vocabSize(), s.hiddenSize(), s.numLayers(),
                s.numHeads(), s.numKvHeads(), s.headDim(), s.intermediateSize(), s.maxPositions(), s.normEps(),
                s.ropeTheta(), s.ropeScaling(), s.attentionBias(), s.tieWordEmbeddings(), s.hiddenAct(),
                s.bosTokenId(), s.eosTokenId(), s.slidingWindow(), dropout);
    }

    private static NDArray uniform(NDManager m, Shape shape, long seed) {
        float[] x = new float[Math.toIntExact(shape.size())];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 + rng.nextDouble()); // positive, so a dropped element is the only zero
        }
        return m.create(x, shape);
    }

    @Test
    void withoutDropoutEverySiteReturnsItsInputItself() {
        assertThat(ModelDropout.forTraining(LLAMA, 1)).isSameAs(ModelDropout.NONE);
        assertThat(ModelDropout.forTraining(GPT2, 1)).isSameAs(ModelDropout.NONE);
        assertThat(ModelDropout.NONE.at(3, 1)).isSameAs(ModelDropout.NONE);
        assertThat(ModelDropout.NONE.active()).isFalse();
        assertThat(ModelDropout.NONE.changes(List.of(0, 1))).isFalse();
        ModelDropout attnOnly = ModelDropout.forTraining(withDropout(GPT2, Map.of("attn_pdrop", 0.1)), 1).at(0, 0);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray x = uniform(m, new Shape(2, 3, 32), 1);
            for (ModelDropout d : List.of(ModelDropout.NONE, ModelDropout.NONE.at(2, 2))) {
                assertThat(d.embeddings(x)).isSameAs(x);
                assertThat(d.attentionProbs(0, x)).isSameAs(x);
                assertThat(d.attentionOutput(0, x)).isSameAs(x);
                assertThat(d.mlpOutput(1, x)).isSameAs(x);
            }
            // a site whose own probability is 0 adds nothing either
            assertThat(attnOnly.embeddings(x)).isSameAs(x);
            assertThat(attnOnly.attentionOutput(0, x)).isSameAs(x);
            assertThat(attnOnly.mlpOutput(0, x)).isSameAs(x);
            assertThat(attnOnly.attentionProbs(0, x)).isNotSameAs(x);
        }
    }

    @Test
    void readsEachFamilysKeysAndRefusesOthers() {
        assertThat(ModelDropout.forTraining(withDropout(LLAMA, Map.of("attention_dropout", 0.1)), 1).active())
                .isTrue();
        assertThatThrownBy(() -> ModelDropout.forTraining(withDropout(LLAMA, Map.of("resid_pdrop", 0.1)), 1))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("resid_pdrop");
        assertThatThrownBy(() -> ModelDropout.forTraining(withDropout(GPT2, Map.of("attention_dropout", 0.1)), 1))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("attention_dropout");
        ModelDropout embd = ModelDropout.forTraining(withDropout(GPT2, Map.of("embd_pdrop", 0.1)), 1);
        assertThat(embd.changes(List.of())).as("dropped embeddings change h_in").isTrue();
        ModelDropout resid = ModelDropout.forTraining(withDropout(GPT2, Map.of("resid_pdrop", 0.1)), 1);
        assertThat(resid.changes(List.of())).as("no layer run: embeddings untouched").isFalse();
        assertThat(resid.changes(List.of(0))).isTrue();
    }

    /**
     * Drops a tensor of 300,000 positive values and checks the fraction zeroed (within 5 standard deviations
     * of {@code p}), that each kept element is scaled by exactly {@code 1 / (1 - p)}, and that the mean stays
     * within 1 % of the undropped mean.
     */
    @ParameterizedTest
    @ValueSource(strings = {"embeddings", "attentionOutput", "mlpOutput", "attentionProbs"})
    void eachSiteZeroesTheRightFractionAndKeepsTheExpectation(String site) {
        double p = 0.1;
        ModelSpec spec = withDropout(GPT2, Map.of("attn_pdrop", p, "resid_pdrop", p, "embd_pdrop", p));
        ModelDropout d = ModelDropout.forTraining(spec, 42).at(1, 0);
        Map<String, BiFunction<ModelDropout, NDArray, NDArray>> sites = Map.of(
                "embeddings", ModelDropout::embeddings,
                "attentionOutput", (x, a) -> x.attentionOutput(1, a),
                "mlpOutput", (x, a) -> x.mlpOutput(1, a),
                "attentionProbs", (x, a) -> x.attentionProbs(1, a));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray x = uniform(m, new Shape(10, 100, 300), 7);
            float[] in = x.toFloatArray();
            float[] out = sites.get(site).apply(d, x).toFloatArray();
            int zeros = 0;
            double sumIn = 0;
            double sumOut = 0;
            float scale = (float) (1 / (1 - p));
            for (int i = 0; i < in.length; i++) {
                sumIn += in[i];
                sumOut += out[i];
                if (out[i] == 0f) {
                    zeros++;
                } else {
                    assertThat(out[i]).isEqualTo(in[i] * scale);
                }
            }
            double sigma = Math.sqrt(p * (1 - p) / in.length);
            assertThat((double) zeros / in.length).isBetween(p - 5 * sigma, p + 5 * sigma);
            assertThat(sumOut / sumIn).isBetween(0.99, 1.01);
        }
    }

    /**
     * Runs attention with the values equal to the identity, so that its output is the attention probabilities
     * themselves: with dropout each one is 0 or the undropped probability times {@code 1 / (1 - p)}, so the
     * dropout sits after the softmax and before the values; each row still sums to 1 in expectation.
     */
    @Test
    void attentionDropsProbabilitiesAfterTheSoftmax() {
        double p = 0.2;
        int tk = 16;
        ModelDropout d = ModelDropout.forTraining(withDropout(LLAMA, Map.of("attention_dropout", p)), 5).at(0, 1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray q = uniform(m, new Shape(32, 2, 2, tk, tk), 1); // [B, Hkv, G, T, dh] with dh = Tk
            NDArray k = uniform(m, new Shape(32, 2, tk, tk), 2);
            NDArray v = m.eye(tk).reshape(1, 1, tk, tk).broadcast(new Shape(32, 2, tk, tk));
            AttentionMask masks = AttentionMask.create(m, tk, 0, null);
            float[] eval = DecoderBlock.attend(q, k, v, masks.forLayer(0), 0.25f, ModelDropout.NONE, 0)
                    .toFloatArray();
            float[] train = DecoderBlock.attend(q, k, v, masks.forLayer(0), 0.25f, d, 0).toFloatArray();
            float scale = (float) (1 / (1 - p));
            int positive = 0;
            int dropped = 0;
            double rowSums = 0;
            for (int i = 0; i < eval.length; i++) {
                rowSums += train[i];
                if (eval[i] > 0) {
                    positive++;
                    if (train[i] == 0f) {
                        dropped++;
                    } else {
                        assertThat(train[i]).isCloseTo(eval[i] * scale, within(1e-6f * eval[i]));
                    }
                } else {
                    assertThat(train[i]).as("a masked (future) key stays at 0").isZero();
                }
            }
            int rows = eval.length / tk;
            double sigma = Math.sqrt(p * (1 - p) / positive);
            assertThat((double) dropped / positive).isBetween(p - 5 * sigma, p + 5 * sigma);
            assertThat(rowSums / rows).as("mean row sum of the dropped probabilities").isBetween(0.97, 1.03);
        }
    }

    @Test
    void masksFollowTheSeedStepMicroBatchLayerAndSite() {
        ModelSpec spec = withDropout(GPT2, Map.of("attn_pdrop", 0.5, "resid_pdrop", 0.5));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray x = uniform(m, new Shape(4, 64), 3);
            float[] ref = ModelDropout.forTraining(spec, 9).at(2, 1).attentionOutput(3, x).toFloatArray();
            assertThat(ModelDropout.forTraining(spec, 9).at(2, 1).attentionOutput(3, x).toFloatArray())
                    .as("same seed and place, same mask").isEqualTo(ref);
            assertThat(ModelDropout.forTraining(spec, 10).at(2, 1).attentionOutput(3, x).toFloatArray())
                    .as("another seed").isNotEqualTo(ref);
            assertThat(ModelDropout.forTraining(spec, 9).at(3, 1).attentionOutput(3, x).toFloatArray())
                    .as("another step").isNotEqualTo(ref);
            assertThat(ModelDropout.forTraining(spec, 9).at(2, 0).attentionOutput(3, x).toFloatArray())
                    .as("another micro-batch").isNotEqualTo(ref);
            assertThat(ModelDropout.forTraining(spec, 9).at(2, 1).attentionOutput(2, x).toFloatArray())
                    .as("another layer").isNotEqualTo(ref);
            assertThat(ModelDropout.forTraining(spec, 9).at(2, 1).mlpOutput(3, x).toFloatArray())
                    .as("another site of the same layer").isNotEqualTo(ref);
        }
    }
}
