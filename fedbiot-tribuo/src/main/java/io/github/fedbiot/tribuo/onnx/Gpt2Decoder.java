/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import static io.github.fedbiot.tribuo.onnx.CheckpointWeights.gpt2;

import io.github.fedbiot.model.ModelSpec;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The GPT-2 decoder: learned position embeddings, LayerNorm, fused QKV {@code Conv1D} projections and a
 * tanh-GELU MLP.
 *
 * @param spec the model shape
 * @param blocks the blocks the layers are built from
 * @param layers the decoder layers to run, in order
 * @param seqLen T, the sequence length
 */
record Gpt2Decoder(ModelSpec spec, TransformerBlocks blocks, List<Integer> layers, int seqLen)
        implements DecoderStack {

    /** Copies the layer list. */
    Gpt2Decoder {
        layers = List.copyOf(layers);
    }

    /** {@inheritDoc} */
    @Override
    public ONNXNode write(ONNXNode seq, ONNXNode positions, ONNXNode mask) {
        GraphWriter g = blocks.graph();
        CheckpointWeights w = blocks.weights();
        int h = spec.numHeads();
        int hd = spec.headDim();
        int d = spec.hiddenSize();
        ONNXNode x = g.op(ONNXOperators.ADD, List.of(
                g.op(ONNXOperators.GATHER, List.of(w.weight(gpt2("wte.weight"), false), seq), Map.of("axis", 0)),
                g.op(ONNXOperators.GATHER, List.of(w.weight(gpt2("wpe.weight"), false), positions),
                        Map.of("axis", 0))));
        ONNXRef<?> scale = g.scalar("attn_scale", (float) (1.0 / Math.sqrt(hd)));
        for (int layer : layers) {
            String pre = gpt2("h." + layer + ".");
            ONNXNode hn = blocks.layerNorm(x, pre + "ln_1");
            ONNXNode qkv = blocks.conv1d(hn, pre + "attn.c_attn");
            ONNXNode qkv5 = g.op(TransformerOps.TRANSPOSE, List.of(g.reshape(qkv, 0, 0, 3, h, hd)),
                    Map.of("perm", new int[] {2, 0, 3, 1, 4})); // [3,BL,H,T,hd]
            ONNXNode q = g.gatherIndex(qkv5, 0);
            ONNXNode k = g.gatherIndex(qkv5, 1);
            ONNXNode v = g.gatherIndex(qkv5, 2);
            ONNXNode att = blocks.attention(q, k, v, g.reshape(mask, -1, 1, seqLen, seqLen), scale); // [BL,H,T,hd]
            ONNXNode merged = g.reshape(g.op(TransformerOps.TRANSPOSE, List.of(att), Map.of("perm", new int[] {0, 2,
                1, 3})), 0, 0, d);
            x = g.op(ONNXOperators.ADD, List.of(x, blocks.conv1d(merged, pre + "attn.c_proj")));
            ONNXNode hn2 = blocks.layerNorm(x, pre + "ln_2");
            ONNXNode fc = blocks.conv1d(hn2, pre + "mlp.c_fc");
            x = g.op(ONNXOperators.ADD, List.of(x, blocks.conv1d(blocks.geluNew(fc), pre + "mlp.c_proj")));
        }
        return blocks.layerNorm(x, gpt2("ln_f"));
    }
}
