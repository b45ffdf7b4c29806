/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.RopeScaling;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The LLaMA-family decoder (LLaMA, Qwen2, Mistral): RMSNorm, rotary positions, grouped-query attention and
 * a SwiGLU MLP.
 *
 * @param spec the model shape
 * @param blocks the blocks the layers are built from
 * @param layers the decoder layers to run, in order
 * @param seqLen T, the sequence length the RoPE tables cover
 */
record LlamaDecoder(ModelSpec spec, TransformerBlocks blocks, List<Integer> layers, int seqLen)
        implements DecoderStack {

    /** Copies the layer list. */
    LlamaDecoder {
        layers = List.copyOf(layers);
    }

    /** {@inheritDoc} */
    @Override
    public ONNXNode write(ONNXNode seq, ONNXNode positions, ONNXNode mask) {
        GraphWriter g = blocks.graph();
        int h = spec.numHeads();
        int kvh = spec.numKvHeads();
        int hd = spec.headDim();
        ONNXNode x = g.op(ONNXOperators.GATHER, List.of(blocks.weights().weight("model.embed_tokens.weight", false),
                seq), Map.of("axis", 0));
        // RoPE tables for positions 0..T-1 (HF's rotate_half layout: the frequencies twice).
        double[] inv = RopeScaling.inverseFrequencies(spec.ropeScaling(), spec.ropeTheta(), hd);
        float[] cos = new float[seqLen * hd];
        float[] sin = new float[seqLen * hd];
        for (int pos = 0; pos < seqLen; pos++) {
            for (int i = 0; i < hd; i++) {
                double angle = pos * inv[i % (hd / 2)];
                cos[pos * hd + i] = (float) Math.cos(angle);
                sin[pos * hd + i] = (float) Math.sin(angle);
            }
        }
        ONNXNode cosP = g.unsqueeze(g.op(ONNXOperators.GATHER, List.of(g.floats("rope_cos", new int[] {seqLen, hd},
                cos), positions), Map.of("axis", 0)), 1);
        ONNXNode sinP = g.unsqueeze(g.op(ONNXOperators.GATHER, List.of(g.floats("rope_sin", new int[] {seqLen, hd},
                sin), positions), Map.of("axis", 0)), 1);
        float[] rot = new float[hd * hd]; // x @ rot == rotate_half(x) = [-x2, x1]
        int half = hd / 2;
        for (int i = 0; i < half; i++) {
            rot[(i + half) * hd + i] = -1f;
            rot[i * hd + i + half] = 1f;
        }
        ONNXRef<?> rotate = g.floats("rotate_half", new int[] {hd, hd}, rot);
        ONNXRef<?> scale = g.scalar("attn_scale", (float) (1.0 / Math.sqrt(hd)));
        for (int layer : layers) {
            String pre = "model.layers." + layer + ".";
            ONNXNode hn = blocks.rmsNorm(x, pre + "input_layernorm.weight");
            ONNXNode q = blocks.heads(blocks.linear(hn, pre + "self_attn.q_proj", spec.attentionBias()), h, hd);
            ONNXNode k = blocks.heads(blocks.linear(hn, pre + "self_attn.k_proj", spec.attentionBias()), kvh, hd);
            ONNXNode v = blocks.heads(blocks.linear(hn, pre + "self_attn.v_proj", spec.attentionBias()), kvh, hd);
            q = blocks.rope(q, cosP, sinP, rotate);
            k = blocks.rope(k, cosP, sinP, rotate);
            // Grouped-query attention by broadcasting: q [BL,KV,rep,T,hd] against k, v [BL,KV,1,T,hd].
            ONNXNode qg = g.reshape(q, 0, kvh, h / kvh, seqLen, hd);
            ONNXNode kg = g.unsqueeze(k, 2);
            ONNXNode vg = g.unsqueeze(v, 2);
            ONNXNode att = blocks.attention(qg, kg, vg, mask, scale); // [BL,KV,rep,T,hd]
            ONNXNode merged = g.reshape(g.op(TransformerOps.TRANSPOSE, List.of(g.reshape(att, 0, h, seqLen, hd)),
                    Map.of("perm", new int[] {0, 2, 1, 3})), 0, 0, h * hd);
            x = g.op(ONNXOperators.ADD, List.of(x, blocks.linear(merged, pre + "self_attn.o_proj", false)));
            ONNXNode hn2 = blocks.rmsNorm(x, pre + "post_attention_layernorm.weight");
            ONNXNode gate = blocks.linear(hn2, pre + "mlp.gate_proj", false);
            ONNXNode up = blocks.linear(hn2, pre + "mlp.up_proj", false);
            ONNXNode act = g.op(ONNXOperators.MUL, List.of(g.op(ONNXOperators.MUL, List.of(gate,
                    g.op(ONNXOperators.SIGMOID, List.of(gate)))), up));
            x = g.op(ONNXOperators.ADD, List.of(x, blocks.linear(act, pre + "mlp.down_proj", false)));
        }
        return blocks.rmsNorm(x, "model.norm.weight");
    }
}
