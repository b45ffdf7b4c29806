/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.model.ModelSpec;
import java.util.Map;

/**
 * A GPT-2 decoder layer: {@code h = x + c_proj(attn(split(c_attn(LN1(x)))))}, then
 * {@code h + mlp.c_proj(gelu(c_fc(LN2(h))))}. The Conv1D weights are held as {@code [out, in]} (see
 * {@link ModelWeights}); {@code gelu_new} is the tanh approximation. In a training pass {@code attn_pdrop}
 * drops attention probabilities and {@code resid_pdrop} both branch outputs before their residual additions
 * ({@link ModelDropout}); PEFT's LoRA on a {@code c_proj} is part of the projection, so it is dropped with it.
 */
public final class Gpt2Block implements DecoderBlock {
    private final int heads;
    private final int headDim;
    private final int hidden;
    private final float eps;
    private final float scale;
    private final boolean tanhGelu;

    /**
     * Creates the block for a model shape.
     *
     * @param spec the model
     * @throws FedbiotException for an unsupported activation
     */
    public Gpt2Block(ModelSpec spec) {
        heads = spec.numHeads();
        headDim = spec.headDim();
        hidden = spec.hiddenSize();
        eps = (float) spec.normEps();
        scale = (float) (1 / Math.sqrt(headDim));
        tanhGelu = switch (spec.hiddenAct()) {
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> true;
            case "gelu" -> false;
            default -> throw new FedbiotException("GPT-2 activation_function '" + spec.hiddenAct()
                    + "' is not supported (supported: gelu_new, gelu_pytorch_tanh, gelu)");
        };
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forward(NDArray x, int layer, Map<String, NDArray> w, LoraSet lora, ForwardContext ctx,
            KvCache.Entry cache) {
        int b = ctx.batch();
        int t = ctx.seqLen();
        boolean tr = ctx.training();
        NDArray n = Ops.layerNorm(x, w.get("ln_1.weight"), w.get("ln_1.bias"), eps);
        NDArray qkv = lora.apply(layer, "c_attn", n,
                Ops.linear(n, w.get("attn.c_attn.weight"), w.get("attn.c_attn.bias")), tr);
        NDList parts = qkv.split(3, 2);
        NDArray q = parts.get(0).reshape(b, t, heads, 1, headDim).transpose(0, 2, 3, 1, 4);
        NDArray k = parts.get(1).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
        NDArray v = parts.get(2).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
        if (cache != null) {
            NDArray[] kv = cache.append(k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray attn = DecoderBlock.attend(q, k, v, ctx.mask(layer), scale, ctx.dropout(), layer);
        NDArray o = attn.transpose(0, 3, 1, 2, 4).reshape(b, t, hidden);
        o = lora.apply(layer, "attn.c_proj", o,
                Ops.linear(o, w.get("attn.c_proj.weight"), w.get("attn.c_proj.bias")), tr);
        NDArray h = x.add(ctx.dropout().attentionOutput(layer, o));
        NDArray n2 = Ops.layerNorm(h, w.get("ln_2.weight"), w.get("ln_2.bias"), eps);
        NDArray f = lora.apply(layer, "c_fc", n2, Ops.linear(n2, w.get("mlp.c_fc.weight"), w.get("mlp.c_fc.bias")),
                tr);
        NDArray a = tanhGelu ? Ops.geluNew(f) : Activation.gelu(f);
        NDArray m = lora.apply(layer, "mlp.c_proj", a,
                Ops.linear(a, w.get("mlp.c_proj.weight"), w.get("mlp.c_proj.bias")), tr);
        return h.add(ctx.dropout().mlpOutput(layer, m));
    }
}
