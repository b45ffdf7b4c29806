/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.SlidingWindow;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Tiny model shapes, a tiny tokenizer and a learnable data set shared by the engine's tests. */
final class TinyModels {
    /** Vocabulary of the tiny models (the test tokenizer has 38 tokens). */
    static final int VOCAB = 64;

    private TinyModels() {}

    /** LLaMA with grouped-query attention (4 heads, 2 KV heads) and an untied head. */
    static ModelSpec llama() {
        return ModelSpec.llama(VOCAB, 32, 4, 4, 2, 64, 64, false);
    }

    /** Qwen2-style LLaMA: q/k/v biases, tied embeddings, MHA. */
    static ModelSpec qwen2() {
        return new ModelSpec(Architecture.LLAMA, "qwen2", VOCAB, 32, 3, 4, 4, 8, 48, 64, 1e-6, 1_000_000.0, null,
                true, true, "silu", -1, 2);
    }

    /**
     * Returns the same model with a sliding window.
     *
     * @param s a mistral or qwen2 spec
     * @param window the window and its layers
     */
    static ModelSpec withWindow(ModelSpec s, SlidingWindow window) {
        return new ModelSpec(s.architecture(), s.modelType(), s.vocabSize(), s.hiddenSize(), s.numLayers(),
                s.numHeads(), s.numKvHeads(), s.headDim(), s.intermediateSize(), s.maxPositions(), s.normEps(),
                s.ropeTheta(), s.ropeScaling(), s.attentionBias(), s.tieWordEmbeddings(), s.hiddenAct(),
                s.bosTokenId(), s.eosTokenId(), window, s.trainingDropout());
    }

    /**
     * Returns the same model with the config's training dropout.
     *
     * @param s a spec
     * @param dropout the non-zero probabilities by config key
     */
    static ModelSpec withDropout(ModelSpec s, Map<String, Double> dropout) {
        return new ModelSpec(s.architecture(), s.modelType(), s.vocabSize(), s.hiddenSize(), s.numLayers(),
                s.numHeads(), s.numKvHeads(), s.headDim(), s.intermediateSize(), s.maxPositions(), s.normEps(),
                s.ropeTheta(), s.ropeScaling(), s.attentionBias(), s.tieWordEmbeddings(), s.hiddenAct(),
                s.bosTokenId(), s.eosTokenId(), s.slidingWindow(), dropout);
    }

    /** Qwen2 with a window of 3 on layers 1 and 2 (layer 0 attends to all positions). */
    static ModelSpec qwen2Sliding() {
        return withWindow(qwen2(), new SlidingWindow(3, List.of(1, 2)));
    }

    /** Mistral (GQA, untied) with a window of 4 on every layer. */
    static ModelSpec mistralSliding() {
        return withWindow(new ModelSpec(Architecture.LLAMA, "mistral", VOCAB, 32, 3, 4, 2, 8, 48, 64, 1e-5, 10000.0,
                null, false, false, "silu", -1, 2), new SlidingWindow(4, List.of(0, 1, 2)));
    }

    /** GPT-2 with 3 layers. */
    static ModelSpec gpt2() {
        return new ModelSpec(Architecture.GPT2, "gpt2", VOCAB, 32, 3, 4, 4, 8, 128, 64, 1e-5, 0, null, true, true,
                "gelu_new", -1, 2);
    }

    /** Returns the hand-written WordLevel tokenizer.json of the test resources. */
    static Path tokenizerJson() {
        try {
            return Path.of(TinyModels.class.getResource("tokenizer.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns a batch of sequences following {@code x[i+1] = (7 x[i] + 3) mod V} from random starts; the first
     * {@code prompt} positions of each row are not labelled.
     */
    static Batch sequenceBatch(int batch, int seqLen, int prompt, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] tokens = new int[batch * seqLen];
        int[] labels = new int[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            int x = rng.nextInt(VOCAB);
            for (int t = 0; t < seqLen; t++) {
                tokens[b * seqLen + t] = x;
                labels[b * seqLen + t] = t < prompt ? Batch.IGNORE : x;
                x = (7 * x + 3) % VOCAB;
            }
        }
        return new Batch(batch, seqLen, tokens, labels, batch);
    }
}
