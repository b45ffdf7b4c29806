/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.RopeScaling;
import java.util.List;
import java.util.Map;

/**
 * The forward pass of a decoder-only model over any sequence of its layers: embeddings, the named layers in
 * order, the final norm and the LM head. The frozen weights come from one shared {@link ModelWeights}; every
 * per-pass array (token ids, rotary tables, mask, activations) is created in the caller's manager.
 */
public final class DecoderStack {
    private final ModelWeights weights;
    private final ModelSpec spec;
    private final DecoderBlock block;
    private final float[] invFreq;

    /**
     * Creates the forward pass over shared weights.
     *
     * @param weights the frozen weights
     */
    public DecoderStack(ModelWeights weights) {
        this.weights = weights;
        this.spec = weights.spec();
        boolean gpt2 = spec.architecture() == Architecture.GPT2;
        this.block = gpt2 ? new Gpt2Block(spec) : new LlamaBlock(spec);
        if (gpt2) {
            invFreq = null;
        } else {
            // transformers computes the inverse frequencies and the angles in float32
            double[] inv = RopeScaling.inverseFrequencies(spec.ropeScaling(), spec.ropeTheta(), spec.headDim());
            invFreq = new float[inv.length];
            for (int i = 0; i < inv.length; i++) {
                invFreq[i] = (float) inv[i];
            }
        }
    }

    /**
     * Returns the frozen weights.
     *
     * @return the weights
     */
    public ModelWeights weights() {
        return weights;
    }

    /**
     * Builds the state shared by the layers of one pass.
     *
     * @param m the pass's manager
     * @param batch B
     * @param seqLen T new positions
     * @param offset positions already cached
     * @param training whether LoRA dropout is active
     * @return the context, without the model's dropout
     */
    public ForwardContext context(NDManager m, int batch, int seqLen, int offset, boolean training) {
        return context(m, batch, seqLen, offset, training, ModelDropout.NONE);
    }

    /**
     * Builds the state shared by the layers of one training pass.
     *
     * @param m the pass's manager
     * @param batch B
     * @param seqLen T new positions
     * @param offset positions already cached
     * @param training whether LoRA dropout is active
     * @param dropout the config's dropout of this pass
     * @return the context
     */
    public ForwardContext context(NDManager m, int batch, int seqLen, int offset, boolean training,
            ModelDropout dropout) {
        NDArray cos = null;
        NDArray sin = null;
        NDArray cosQ = null;
        NDArray sinQ = null;
        if (invFreq != null) {
            int dh = spec.headDim();
            int half = dh / 2;
            float scale = (float) (1 / Math.sqrt(dh));
            float[] c = new float[seqLen * dh];
            float[] s = new float[seqLen * dh];
            float[] cq = new float[seqLen * dh];
            float[] sq = new float[seqLen * dh];
            for (int t = 0; t < seqLen; t++) {
                float pos = offset + t;
                for (int i = 0; i < half; i++) {
                    float angle = pos * invFreq[i];
                    float cv = (float) Math.cos(angle);
                    float sv = (float) Math.sin(angle);
                    c[t * dh + i] = cv;
                    c[t * dh + half + i] = cv;
                    s[t * dh + i] = -sv;
                    s[t * dh + half + i] = sv;
                    cq[t * dh + i] = cv * scale;
                    cq[t * dh + half + i] = cv * scale;
                    sq[t * dh + i] = -sv * scale;
                    sq[t * dh + half + i] = sv * scale;
                }
            }
            Shape shape = new Shape(seqLen, dh);
            cos = Ops.owned(m, c, shape);
            sin = Ops.owned(m, s, shape);
            cosQ = Ops.owned(m, cq, shape);
            sinQ = Ops.owned(m, sq, shape);
        }
        AttentionMask masks = AttentionMask.create(m, seqLen, offset, spec.slidingWindow());
        return new ForwardContext(batch, seqLen, offset, cos, sin, cosQ, sinQ, masks, training, dropout);
    }

    /**
     * Embeds tokens (and, for GPT-2, their learned positions, then {@code embd_pdrop} in a training pass).
     *
     * @param m the pass's manager
     * @param tokens {@code ctx.batch() * ctx.seqLen()} ids, already validated
     * @param ctx the pass's context (its offset is the position of the first token)
     * @return hidden states {@code [B, T, d]}
     */
    public NDArray embed(NDManager m, int[] tokens, ForwardContext ctx) {
        NDArray ids = m.create(tokens, new Shape(ctx.batch(), ctx.seqLen()));
        NDArray x = lookup(ids, weights.embeddingName(), m);
        if (spec.architecture() == Architecture.GPT2) {
            NDArray pos = m.arange(ctx.offset(), ctx.offset() + ctx.seqLen());
            x = ctx.dropout().embeddings(x.add(lookup(pos, "transformer.wpe.weight", m)));
        }
        return x;
    }

    /** Looks rows up in a frozen table; a widened copy is freed at once (the lookup keeps no reference). */
    private NDArray lookup(NDArray ids, String table, NDManager m) {
        NDArray w = weights.widen(table, m);
        NDArray x = ids.getNDArrayInternal().embedding(ids, w, SparseFormat.DENSE).singletonOrThrow();
        if (weights.stored(table).isCompressed()) {
            w.close();
        }
        return x;
    }

    /**
     * Runs decoder layers in order.
     *
     * @param x hidden states {@code [B, T, d]}
     * @param layers the layer indices, in order
     * @param lora the LoRA to apply (use {@link LoraSet#none()} for none)
     * @param ctx the pass's context
     * @param cache the KV cache for exactly these layers, or null
     * @return the hidden states after the last layer
     */
    public NDArray run(NDArray x, List<Integer> layers, LoraSet lora, ForwardContext ctx, KvCache cache) {
        NDArray h = x;
        for (int i = 0; i < layers.size(); i++) {
            int layer = layers.get(i);
            if (cache != null) {
                // the cache keeps this layer's keys and values, so its arrays must outlive the layer; only the
                // widened weights go when it ends
                Map<String, NDArray> w = weights.widenLayer(layer, h.getManager());
                h = block.forward(h, layer, w, lora, ctx, cache.entry(i));
                closeWidened(layer, w);
                continue;
            }
            h = layer(h, layer, lora, ctx);
        }
        return h;
    }

    /**
     * Runs one decoder layer without a KV cache. Its intermediates, and its widened weights, are released when it
     * ends, as PyTorch eager releases them: autograd keeps its own references to what the backward pass needs
     * (all of it PyTorch-owned memory, see Ops.owned), so only the Java handles go. Without this, every
     * intermediate of every layer lived until the end of the micro-batch.
     *
     * @param h the layer's input {@code [B, T, d]}
     * @param layer the layer index
     * @param lora the LoRA to apply
     * @param ctx the pass's context
     * @return the layer's output, registered with the caller's scope
     */
    public NDArray layer(NDArray h, int layer, LoraSet lora, ForwardContext ctx) {
        NDArray out;
        try (NDScope layerScope = new NDScope()) {
            out = block.forward(h, layer, weights.widenLayer(layer, h.getManager()), lora, ctx, null);
            NDScope.unregister(out);
        }
        NDScope.register(out);
        return out;
    }

    private void closeWidened(int layer, Map<String, NDArray> widened) {
        weights.layer(layer).forEach((k, v) -> {
            if (v != null && v.isCompressed()) {
                widened.get(k).close();
            }
        });
    }

    /**
     * Runs a whole pass without a KV cache: embeddings, then the layers (no final norm).
     *
     * @param m the pass's manager
     * @param tokens {@code batch * seqLen} ids, already validated
     * @param batch B
     * @param seqLen T
     * @param layers the layer indices, in order
     * @param lora the LoRA to apply
     * @param training whether LoRA dropout is active
     * @param dropout the model's dropout of the pass ({@link ModelDropout#NONE} for none)
     * @return hidden states {@code [B, T, d]}
     */
    public NDArray forward(NDManager m, int[] tokens, int batch, int seqLen, List<Integer> layers, LoraSet lora,
            boolean training, ModelDropout dropout) {
        ForwardContext ctx = context(m, batch, seqLen, 0, training, dropout);
        return run(embed(m, tokens, ctx), layers, lora, ctx, null);
    }

    /**
     * Runs a whole pass over a batch's tokens (see {@link #forward(NDManager, int[], int, int, List, LoraSet,
     * boolean, ModelDropout)}).
     *
     * @param m the pass's manager
     * @param batch the batch, already validated
     * @param layers the layer indices, in order
     * @param lora the LoRA to apply
     * @param training whether LoRA dropout is active
     * @param dropout the model's dropout of the pass
     * @return hidden states {@code [B, T, d]}
     */
    public NDArray forward(NDManager m, Batch batch, List<Integer> layers, LoraSet lora, boolean training,
            ModelDropout dropout) {
        return forward(m, batch.tokens(), batch.batchSize(), batch.seqLen(), layers, lora, training, dropout);
    }

    /**
     * Applies the final norm.
     *
     * @param h hidden states {@code [..., d]}
     * @return normalised states
     */
    public NDArray finalNorm(NDArray h) {
        if (spec.architecture() == Architecture.GPT2) {
            return Ops.layerNorm(h, weights.widen("transformer.ln_f.weight", h.getManager()),
                    weights.widen("transformer.ln_f.bias", h.getManager()), (float) spec.normEps());
        }
        return Ops.rmsNorm(h, weights.widen("model.norm.weight", h.getManager()), (float) spec.normEps());
    }

    /**
     * Applies the final norm and the LM head.
     *
     * @param h hidden states {@code [..., d]}
     * @return logits {@code [..., V]}
     */
    public NDArray logits(NDArray h) {
        // a widened head stays alive while autograd needs it (for the gradient of h), then goes with the scope
        return Ops.linear(finalNorm(h), weights.widen(weights.lmHeadName(), h.getManager()), null);
    }
}
