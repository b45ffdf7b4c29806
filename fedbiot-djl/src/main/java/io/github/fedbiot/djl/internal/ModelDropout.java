/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.algorithm.Seeds;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The dropout a model's {@code config.json} asks for ({@link ModelSpec#trainingDropout()}), where transformers
 * 5 (read in 5.24.0) applies it in training mode, as inverted dropout ({@link DropoutMask}):
 *
 * <ul>
 *   <li>LLaMA, Mistral, Qwen2 ({@code attention_dropout}): on the attention probabilities, after the softmax
 *       and before the product with the values ({@code eager_attention_forward}; SDPA's {@code dropout_p});
 *   <li>GPT-2: {@code embd_pdrop} on {@code wte + wpe}; {@code attn_pdrop} on the attention probabilities;
 *       {@code resid_pdrop} on the attention output after {@code attn.c_proj} and on the MLP output after
 *       {@code mlp.c_proj}, each before its residual addition ({@code GPT2Attention}, {@code GPT2MLP}).
 * </ul>
 *
 * <p>Evaluation and generation never drop ({@link #NONE}). Each mask has its own seed, derived from the training
 * request's seed, the optimizer step, the micro-batch within the step, the layer and the site ({@link Seeds}), so
 * the same request repeats bit for bit, another seed draws other masks, and no mask depends on how many were
 * drawn before it. With every probability 0 each method returns its input itself: no operation is added.
 */
public final class ModelDropout {
    /** No dropout: evaluation, generation, and every model whose config asks for none. */
    public static final ModelDropout NONE = new ModelDropout(0, 0, 0, 0);

    private static final int EMBEDDINGS = 0;
    private static final int ATTENTION_PROBS = 1;
    private static final int ATTENTION_OUTPUT = 2;
    private static final int MLP_OUTPUT = 3;

    private final double attention;
    private final double residual;
    private final double embedding;
    private final long seed;

    private ModelDropout(double attention, double residual, double embedding, long seed) {
        this.attention = attention;
        this.residual = residual;
        this.embedding = embedding;
        this.seed = seed;
    }

    /**
     * Returns the dropout of a training request on a model.
     *
     * @param spec the model (its {@code trainingDropout} holds the non-zero probabilities by config key)
     * @param seed the request's seed (the one that drives its LoRA dropout masks)
     * @return {@link #NONE} when the config asks for no dropout
     * @throws FedbiotException for a key the model's family does not read
     */
    public static ModelDropout forTraining(ModelSpec spec, long seed) {
        Map<String, Double> p = spec.trainingDropout();
        if (p.isEmpty()) {
            return NONE;
        }
        List<String> known = spec.architecture() == Architecture.GPT2
                ? List.of("attn_pdrop", "resid_pdrop", "embd_pdrop") : List.of("attention_dropout");
        for (String key : p.keySet()) {
            if (!known.contains(key)) {
                throw new FedbiotException("config.json: dropout key '" + key + "' is not read by "
                        + spec.modelType() + " (its keys: " + known + ")");
            }
        }
        double attn = p.getOrDefault(spec.architecture() == Architecture.GPT2 ? "attn_pdrop" : "attention_dropout",
                0.0);
        return new ModelDropout(attn, p.getOrDefault("resid_pdrop", 0.0), p.getOrDefault("embd_pdrop", 0.0),
                Seeds.derive(seed, "model-dropout")); // apart from the LoRA dropout stream, seeded by `seed` itself
    }

    /**
     * Returns the dropout of one micro-batch's forward pass.
     *
     * @param step the optimizer step within the request
     * @param microBatch the micro-batch within the step
     * @return the dropout whose masks belong to that micro-batch ({@link #NONE} stays {@link #NONE})
     */
    public ModelDropout at(int step, int microBatch) {
        if (!active()) {
            return this;
        }
        return new ModelDropout(attention, residual, embedding, Seeds.derive(seed, "micro-batch", step, microBatch));
    }

    /**
     * Returns whether any probability is non-zero.
     *
     * @return false for {@link #NONE}
     */
    public boolean active() {
        return attention > 0 || residual > 0 || embedding > 0;
    }

    /**
     * Returns whether running these layers after the embeddings gives other hidden states than eval mode does.
     *
     * @param layers decoder layers run from the embeddings
     * @return true when the embeddings are dropped, or when a layer is run and any dropout is active
     */
    public boolean changes(List<Integer> layers) {
        return embedding > 0 || (active() && !layers.isEmpty());
    }

    /**
     * Applies GPT-2's {@code embd_pdrop} to the summed token and position embeddings.
     *
     * @param x {@code wte + wpe}, {@code [B, T, d]}
     * @return the dropped embeddings, or {@code x} itself when the probability is 0
     */
    public NDArray embeddings(NDArray x) {
        return drop(x, embedding, -1, EMBEDDINGS);
    }

    /**
     * Applies {@code attention_dropout} / {@code attn_pdrop} to attention probabilities.
     *
     * @param layer the layer index in the full model
     * @param probs the softmax output
     * @return the dropped probabilities, or {@code probs} itself when the probability is 0
     */
    public NDArray attentionProbs(int layer, NDArray probs) {
        return drop(probs, attention, layer, ATTENTION_PROBS);
    }

    /**
     * Applies GPT-2's {@code resid_pdrop} to the attention output (after {@code attn.c_proj} and its LoRA).
     *
     * @param layer the layer index in the full model
     * @param out the projected attention output {@code [B, T, d]}
     * @return the dropped output, or {@code out} itself when the probability is 0
     */
    public NDArray attentionOutput(int layer, NDArray out) {
        return drop(out, residual, layer, ATTENTION_OUTPUT);
    }

    /**
     * Applies GPT-2's {@code resid_pdrop} to the MLP output (after {@code mlp.c_proj} and its LoRA).
     *
     * @param layer the layer index in the full model
     * @param out the MLP output {@code [B, T, d]}
     * @return the dropped output, or {@code out} itself when the probability is 0
     */
    public NDArray mlpOutput(int layer, NDArray out) {
        return drop(out, residual, layer, MLP_OUTPUT);
    }

    private NDArray drop(NDArray x, double p, int layer, int site) {
        if (p == 0) {
            return x;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "site", layer, site));
        return x.mul(DropoutMask.draw(x.getManager(), x.getShape(), p, rng));
    }
}
