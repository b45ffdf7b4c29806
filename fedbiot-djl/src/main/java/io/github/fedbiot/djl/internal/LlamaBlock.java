/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import io.github.fedbiot.model.ModelSpec;
import java.util.Map;

/**
 * A LLaMA-family decoder layer: {@code h = x + o(attn(rope(q), rope(k), v))} on {@code RMSNorm(x)}, then
 * {@code h + down(silu(gate(n)) * up(n))} on {@code RMSNorm(h)}; grouped-query attention (query head
 * {@code j * G + g} reads key/value head {@code j}), optional q/k/v biases (Qwen2) and an o_proj bias (LLaMA's
 * {@code attention_bias}). In a training pass {@code attention_dropout} drops attention probabilities
 * ({@link ModelDropout}); LLaMA has no other dropout.
 */
public final class LlamaBlock implements DecoderBlock {
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float eps;

    /**
     * Creates the block for a model shape.
     *
     * @param spec the model
     */
    public LlamaBlock(ModelSpec spec) {
        heads = spec.numHeads();
        kvHeads = spec.numKvHeads();
        headDim = spec.headDim();
        eps = (float) spec.normEps();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forward(NDArray x, int layer, Map<String, NDArray> w, LoraSet lora, ForwardContext ctx,
            KvCache.Entry cache) {
        int b = ctx.batch();
        int t = ctx.seqLen();
        boolean tr = ctx.training();
        NDArray n = Ops.rmsNorm(x, w.get("input_layernorm.weight"), eps);
        NDArray q = lora.apply(layer, "q_proj", n,
                Ops.linear(n, w.get("self_attn.q_proj.weight"), w.get("self_attn.q_proj.bias")), tr);
        NDArray k = lora.apply(layer, "k_proj", n,
                Ops.linear(n, w.get("self_attn.k_proj.weight"), w.get("self_attn.k_proj.bias")), tr);
        NDArray v = lora.apply(layer, "v_proj", n,
                Ops.linear(n, w.get("self_attn.v_proj.weight"), w.get("self_attn.v_proj.bias")), tr);
        int g = heads / kvHeads;
        q = q.reshape(b, t, kvHeads, g, headDim).transpose(0, 2, 3, 1, 4);
        k = k.reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3);
        v = v.reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3);
        q = Ops.rope(q, ctx.cosQ(), ctx.sinQ()); // includes the 1/sqrt(dh) attention scale
        k = Ops.rope(k, ctx.cos(), ctx.sin());
        if (cache != null) {
            NDArray[] kv = cache.append(k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray attn = DecoderBlock.attend(q, k, v, ctx.mask(layer), 1f, ctx.dropout(), layer);
        NDArray o = attn.transpose(0, 3, 1, 2, 4).reshape(b, t, (long) heads * headDim);
        o = lora.apply(layer, "o_proj", o,
                Ops.linear(o, w.get("self_attn.o_proj.weight"), w.get("self_attn.o_proj.bias")), tr);
        NDArray h = x.add(o);
        NDArray n2 = Ops.rmsNorm(h, w.get("post_attention_layernorm.weight"), eps);
        NDArray gate = lora.apply(layer, "gate_proj", n2, Ops.linear(n2, w.get("mlp.gate_proj.weight"), null), tr);
        NDArray up = lora.apply(layer, "up_proj", n2, Ops.linear(n2, w.get("mlp.up_proj.weight"), null), tr);
        NDArray act = Ops.silu(gate).mul(up);
        NDArray down = lora.apply(layer, "down_proj", act, Ops.linear(act, w.get("mlp.down_proj.weight"), null), tr);
        return h.add(down);
    }
}
