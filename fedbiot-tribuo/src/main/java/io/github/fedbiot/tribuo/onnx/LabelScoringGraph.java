/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.RopeScaling;
import io.github.fedbiot.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes a decoder-only transformer (LLaMA family or GPT-2) into an {@link ONNXContext} as a label scorer:
 * for each prompt and each candidate label continuation it computes the summed log-probability of the
 * continuation's tokens given the prompt, and the softmax of those over the labels.
 *
 * <p>Graph contract:
 * <ul>
 *   <li>input {@code [B, P]} float: position {@code t} holds {@code tokenId + 1} of the prompt's t-th token,
 *       0 after the prompt's end (right padding). This is Tribuo's dense feature vector of the features
 *       {@code tok-0000 .. tok-(P-1)}, so Tribuo's {@code DenseTransformer} feeds it unchanged.</li>
 *   <li>output of {@link #build}: {@code [B, L]} label probabilities, L in the order of the continuations;
 *       {@link Scores#logLikelihoods()} is {@code [B, L]} summed log-likelihoods.</li>
 * </ul>
 *
 * <p>Every prompt is scored against every continuation as one sequence {@code [prompt (P, right padded);
 * continuation (M, right padded)]} of length {@code T = P + M}. Attention masks the prompt's padding keys and
 * is causal; the continuation's positions continue the prompt's real length, so the result equals running
 * the unpadded sequence. The base weights are initializers (the adapter LoRA must already be merged);
 * linear weights are stored transposed ({@code [in, out]}).
 */
public final class LabelScoringGraph {
    private static final float NEG_INF = -1e9f;

    private final ONNXContext ctx;
    private final ModelSpec spec;
    private final Function<String, Tensor> weights;
    private final List<Integer> stack;
    private final int promptLength;
    private final int[][] continuations;
    private final int maxContinuation;
    private final int seqLen;
    private int counter;

    /**
     * The two results of the graph.
     *
     * @param probabilities {@code [B, L]} softmax over labels of the log-likelihoods
     * @param logLikelihoods {@code [B, L]} summed log-probabilities of each continuation
     */
    public record Scores(ONNXNode probabilities, ONNXNode logLikelihoods) {}

    /**
     * Creates a builder.
     *
     * @param ctx the ONNX context to write into
     * @param spec the model shape
     * @param weights the merged weights by Hugging Face name
     * @param stack the decoder layers to run, in order
     * @param promptLength P, the prompt width of the input
     * @param continuations the token ids of each label's continuation, in label-id order
     * @throws IllegalArgumentException for empty continuations, token ids out of the vocabulary or a sequence
     *     longer than the model's context
     */
    public LabelScoringGraph(ONNXContext ctx, ModelSpec spec, Function<String, Tensor> weights,
            List<Integer> stack, int promptLength, int[][] continuations) {
        if (continuations.length == 0) {
            throw new IllegalArgumentException("at least one label continuation is needed");
        }
        int m = 0;
        for (int[] c : continuations) {
            if (c.length == 0) {
                throw new IllegalArgumentException("empty label continuation");
            }
            for (int id : c) {
                if (id < 0 || id >= spec.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " outside the vocabulary of "
                            + spec.vocabSize());
                }
            }
            m = Math.max(m, c.length);
        }
        if (promptLength < 1 || promptLength + m > spec.maxPositions()) {
            throw new IllegalArgumentException("prompt length " + promptLength + " + continuation " + m
                    + " must be in [2, " + spec.maxPositions() + "]");
        }
        for (int layer : stack) {
            if (layer < 0 || layer >= spec.numLayers()) {
                throw new IllegalArgumentException("layer " + layer + " outside [0, " + spec.numLayers() + ")");
            }
        }
        this.ctx = ctx;
        this.spec = spec;
        this.weights = weights;
        this.stack = List.copyOf(stack);
        this.promptLength = promptLength;
        this.continuations = continuations;
        this.maxContinuation = m;
        this.seqLen = promptLength + m;
    }

    /**
     * Writes the graph.
     *
     * @param input the {@code [B, P]} float input (token id + 1, 0 = padding)
     * @return the probability and log-likelihood nodes
     */
    public Scores build(ONNXRef<?> input) {
        int p = promptLength;
        int l = continuations.length;
        int m = maxContinuation;
        int t = seqLen;
        // Prompt tokens and validity.
        ONNXNode ids = op(TransformerOps.RELU, List.of(op(ONNXOperators.SUB, List.of(input, f("one", 1f)))));
        ONNXNode idsLong = cast(ids, DataType.INT64);
        ONNXNode valid = cast(op(ONNXOperators.GREATER, List.of(input, f("half", 0.5f))), DataType.FLOAT);
        ONNXNode len = op(ONNXOperators.REDUCE_SUM, List.of(valid, longs("axis1", 1)), Map.of("keepdims", 1));
        ONNXNode zerosB = op(ONNXOperators.MUL, List.of(len, f("zero", 0f))); // [B,1] zeros, carries B

        // Sequences [B*L, T] = [prompt ; continuation l].
        long[] cont = new long[l * m];
        float[] contMask = new float[l * m];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < continuations[i].length; j++) {
                cont[i * m + j] = continuations[i][j];
                contMask[i * m + j] = 1f;
            }
        }
        ONNXNode promptPart = op(ONNXOperators.ADD, List.of(unsqueeze(idsLong, 1),
                reshape(ctx.array(name("zerosL"), new long[l]), 1, l, 1)));
        ONNXNode contPart = op(ONNXOperators.ADD, List.of(reshape(ctx.array(name("cont"), cont), 1, l, m),
                cast(unsqueeze(zerosB, 2), DataType.INT64)));
        ONNXNode seq = reshape(op(ONNXOperators.CONCAT, List.of(promptPart, contPart), Map.of("axis", 2)), -1, t);

        // Positions: t for the prompt, len + j for the continuation's j-th token.
        float[] ar = new float[t];
        float[] isCont = new float[t];
        for (int i = 0; i < t; i++) {
            ar[i] = i;
            isCont[i] = i >= p ? 1f : 0f;
        }
        ONNXNode pos = op(ONNXOperators.ADD, List.of(ctx.array(name("arange"), ar), op(ONNXOperators.MUL,
                List.of(ctx.array(name("isCont"), isCont), op(ONNXOperators.SUB, List.of(len, f("P", p)))))));
        ONNXNode posL = cast(reshape(broadcastL(pos, t), -1, t), DataType.INT64);

        // Additive attention mask [B*L, 1, T, T]: causal, and no prompt padding as key.
        float[] onesM = new float[m];
        Arrays.fill(onesM, 1f);
        ONNXNode keyValid = op(ONNXOperators.CONCAT, List.of(valid, op(ONNXOperators.ADD,
                List.of(zerosB, ctx.array(name("onesM"), onesM)))), Map.of("axis", 1));
        ONNXNode keyBias = op(ONNXOperators.MUL, List.of(op(ONNXOperators.SUB, List.of(keyValid, f("one", 1f))),
                f("big", -NEG_INF)));
        float[] causal = new float[t * t];
        for (int q = 0; q < t; q++) {
            for (int k = q + 1; k < t; k++) {
                causal[q * t + k] = NEG_INF;
            }
        }
        ONNXNode mask = op(ONNXOperators.ADD, List.of(reshape(keyBias, -1, 1, 1, t), floats("causal",
                new int[] {t, t}, causal)));
        ONNXNode maskL = reshape(broadcastL(mask, 1, t, t), -1, 1, 1, t, t);

        ONNXNode x = spec.architecture() == Architecture.GPT2 ? gpt2Stack(seq, posL, maskL) : llamaStack(seq, posL,
                maskL);

        // Hidden states that predict each continuation token: len-1 for the first, P+j-1 after.
        ONNXNode hidden4 = reshape(x, -1, l, t, spec.hiddenSize());
        float[] srcConst = new float[m];
        float[] srcLen = new float[m];
        for (int j = 0; j < m; j++) {
            srcConst[j] = j == 0 ? -1 : p + j - 1;
            srcLen[j] = j == 0 ? 1 : 0;
        }
        ONNXNode src = op(ONNXOperators.ADD, List.of(ctx.array(name("srcConst"), srcConst),
                op(ONNXOperators.MUL, List.of(ctx.array(name("srcLen"), srcLen), len))));
        ONNXNode oneHot = cast(op(TransformerOps.EQUAL, List.of(unsqueeze(src, 2), ctx.array(name("arangeT"), ar))),
                DataType.FLOAT);
        ONNXNode selected = op(TransformerOps.MATMUL, List.of(unsqueeze(oneHot, 1), hidden4)); // [B,L,M,d]
        ONNXNode logits = op(TransformerOps.MATMUL, List.of(selected, lmHeadT()));
        ONNXNode logProbs = op(TransformerOps.LOG_SOFTMAX, List.of(logits), Map.of("axis", -1));
        int v = spec.vocabSize();
        float[] target = new float[l * m * v];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < m; j++) {
                target[(i * m + j) * v + (int) cont[i * m + j]] = 1f;
            }
        }
        ONNXNode tokenLl = op(ONNXOperators.REDUCE_SUM, List.of(op(ONNXOperators.MUL, List.of(logProbs,
                floats("targetOneHot", new int[] {l, m, v}, target))), longs("axisLast", -1)), Map.of("keepdims", 0));
        ONNXNode ll = op(ONNXOperators.REDUCE_SUM, List.of(op(ONNXOperators.MUL, List.of(tokenLl,
                floats("contMask", new int[] {l, m}, contMask))), longs("axisLast2", -1)), Map.of("keepdims", 0));
        ONNXNode probs = op(ONNXOperators.SOFTMAX, List.of(ll), Map.of("axis", -1));
        return new Scores(probs, ll);
    }

    private ONNXNode llamaStack(ONNXNode seq, ONNXNode posL, ONNXNode mask) {
        int d = spec.hiddenSize();
        int h = spec.numHeads();
        int kvh = spec.numKvHeads();
        int hd = spec.headDim();
        ONNXNode x = op(ONNXOperators.GATHER, List.of(weight("model.embed_tokens.weight", false), seq),
                Map.of("axis", 0));
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
        ONNXNode cosP = unsqueeze(op(ONNXOperators.GATHER, List.of(floats("rope_cos", new int[] {seqLen, hd}, cos),
                posL), Map.of("axis", 0)), 1);
        ONNXNode sinP = unsqueeze(op(ONNXOperators.GATHER, List.of(floats("rope_sin", new int[] {seqLen, hd}, sin),
                posL), Map.of("axis", 0)), 1);
        float[] rot = new float[hd * hd]; // x @ rot == rotate_half(x) = [-x2, x1]
        int half = hd / 2;
        for (int i = 0; i < half; i++) {
            rot[(i + half) * hd + i] = -1f;
            rot[i * hd + i + half] = 1f;
        }
        ONNXRef<?> rotate = floats("rotate_half", new int[] {hd, hd}, rot);
        ONNXRef<?> scale = f("attn_scale", (float) (1.0 / Math.sqrt(hd)));
        for (int layer : stack) {
            String pre = "model.layers." + layer + ".";
            ONNXNode hn = rmsNorm(x, pre + "input_layernorm.weight");
            ONNXNode q = heads(linear(hn, pre + "self_attn.q_proj", spec.attentionBias()), h, hd);
            ONNXNode k = heads(linear(hn, pre + "self_attn.k_proj", spec.attentionBias()), kvh, hd);
            ONNXNode v = heads(linear(hn, pre + "self_attn.v_proj", spec.attentionBias()), kvh, hd);
            q = rope(q, cosP, sinP, rotate);
            k = rope(k, cosP, sinP, rotate);
            // Grouped-query attention by broadcasting: q [BL,KV,rep,T,hd] against k, v [BL,KV,1,T,hd].
            ONNXNode qg = reshape(q, 0, kvh, h / kvh, seqLen, hd);
            ONNXNode kg = unsqueeze(k, 2);
            ONNXNode vg = unsqueeze(v, 2);
            ONNXNode att = attention(qg, kg, vg, mask, scale); // [BL,KV,rep,T,hd]
            ONNXNode merged = reshape(op(TransformerOps.TRANSPOSE, List.of(reshape(att, 0, h, seqLen, hd)),
                    Map.of("perm", new int[] {0, 2, 1, 3})), 0, 0, h * hd);
            x = op(ONNXOperators.ADD, List.of(x, linear(merged, pre + "self_attn.o_proj", false)));
            ONNXNode hn2 = rmsNorm(x, pre + "post_attention_layernorm.weight");
            ONNXNode gate = linear(hn2, pre + "mlp.gate_proj", false);
            ONNXNode up = linear(hn2, pre + "mlp.up_proj", false);
            ONNXNode act = op(ONNXOperators.MUL, List.of(op(ONNXOperators.MUL, List.of(gate,
                    op(ONNXOperators.SIGMOID, List.of(gate)))), up));
            x = op(ONNXOperators.ADD, List.of(x, linear(act, pre + "mlp.down_proj", false)));
        }
        return rmsNorm(x, "model.norm.weight");
    }

    private ONNXNode gpt2Stack(ONNXNode seq, ONNXNode posL, ONNXNode mask) {
        int h = spec.numHeads();
        int hd = spec.headDim();
        int d = spec.hiddenSize();
        ONNXNode x = op(ONNXOperators.ADD, List.of(
                op(ONNXOperators.GATHER, List.of(weight(gpt2("wte.weight"), false), seq), Map.of("axis", 0)),
                op(ONNXOperators.GATHER, List.of(weight(gpt2("wpe.weight"), false), posL), Map.of("axis", 0))));
        ONNXRef<?> scale = f("attn_scale", (float) (1.0 / Math.sqrt(hd)));
        for (int layer : stack) {
            String pre = gpt2("h." + layer + ".");
            ONNXNode hn = layerNorm(x, pre + "ln_1");
            ONNXNode qkv = conv1d(hn, pre + "attn.c_attn");
            ONNXNode qkv5 = op(TransformerOps.TRANSPOSE, List.of(reshape(qkv, 0, 0, 3, h, hd)),
                    Map.of("perm", new int[] {2, 0, 3, 1, 4})); // [3,BL,H,T,hd]
            ONNXNode q = gatherIndex(qkv5, 0);
            ONNXNode k = gatherIndex(qkv5, 1);
            ONNXNode v = gatherIndex(qkv5, 2);
            ONNXNode att = attention(q, k, v, reshape(mask, -1, 1, seqLen, seqLen), scale); // [BL,H,T,hd]
            ONNXNode merged = reshape(op(TransformerOps.TRANSPOSE, List.of(att), Map.of("perm", new int[] {0, 2, 1,
                    3})), 0, 0, d);
            x = op(ONNXOperators.ADD, List.of(x, conv1d(merged, pre + "attn.c_proj")));
            ONNXNode hn2 = layerNorm(x, pre + "ln_2");
            ONNXNode fc = conv1d(hn2, pre + "mlp.c_fc");
            x = op(ONNXOperators.ADD, List.of(x, conv1d(geluNew(fc), pre + "mlp.c_proj")));
        }
        return layerNorm(x, gpt2("ln_f"));
    }

    /** Returns a GPT-2 weight name; {@link #tensor} also tries it without the prefix, as checkpoints differ. */
    private String gpt2(String suffix) {
        return "transformer." + suffix;
    }

    /** Scaled dot-product attention over the last two axes; LLaMA's tensors carry a GQA group axis (rank 5). */
    private ONNXNode attention(ONNXNode q, ONNXNode k, ONNXNode v, ONNXNode mask, ONNXRef<?> scale) {
        int[] perm = spec.architecture() == Architecture.GPT2 ? new int[] {0, 1, 3, 2} : new int[] {0, 1, 2, 4, 3};
        ONNXNode kt = op(TransformerOps.TRANSPOSE, List.of(k), Map.of("perm", perm));
        ONNXNode scores = op(ONNXOperators.ADD, List.of(op(ONNXOperators.MUL, List.of(op(TransformerOps.MATMUL,
                List.of(q, kt)), scale)), mask));
        ONNXNode probs = op(ONNXOperators.SOFTMAX, List.of(scores), Map.of("axis", -1));
        return op(TransformerOps.MATMUL, List.of(probs, v));
    }

    private ONNXNode gatherIndex(ONNXNode x, long index) {
        ONNXRef<?> idx = ctx.constant(name("idx"), index);
        return op(ONNXOperators.GATHER, List.of(x, idx), Map.of("axis", 0));
    }

    private ONNXNode geluNew(ONNXNode x) {
        // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), transformers' NewGELUActivation.
        ONNXNode x3 = op(ONNXOperators.MUL, List.of(op(ONNXOperators.MUL, List.of(x, x)), x));
        ONNXNode inner = op(ONNXOperators.MUL, List.of(op(ONNXOperators.ADD, List.of(x, op(ONNXOperators.MUL,
                List.of(x3, f("gelu_c", 0.044715f))))), f("gelu_s", (float) Math.sqrt(2.0 / Math.PI))));
        ONNXNode t = op(ONNXOperators.ADD, List.of(op(TransformerOps.TANH, List.of(inner)), f("one", 1f)));
        return op(ONNXOperators.MUL, List.of(op(ONNXOperators.MUL, List.of(x, t)), f("half_c", 0.5f)));
    }

    private ONNXNode layerNorm(ONNXNode x, String prefix) {
        ONNXNode mean = op(ONNXOperators.REDUCE_MEAN, List.of(x), Map.of("axes", new int[] {-1}, "keepdims", 1));
        ONNXNode c = op(ONNXOperators.SUB, List.of(x, mean));
        ONNXNode var = op(ONNXOperators.REDUCE_MEAN, List.of(op(ONNXOperators.MUL, List.of(c, c))),
                Map.of("axes", new int[] {-1}, "keepdims", 1));
        ONNXNode inv = op(TransformerOps.RECIPROCAL, List.of(op(TransformerOps.SQRT, List.of(op(ONNXOperators.ADD,
                List.of(var, f("eps", (float) spec.normEps())))))));
        return op(ONNXOperators.ADD, List.of(op(ONNXOperators.MUL, List.of(op(ONNXOperators.MUL, List.of(c, inv)),
                weight(prefix + ".weight", false))), weight(prefix + ".bias", false)));
    }

    private ONNXNode rmsNorm(ONNXNode x, String weightName) {
        ONNXNode ms = op(ONNXOperators.REDUCE_MEAN, List.of(op(ONNXOperators.MUL, List.of(x, x))),
                Map.of("axes", new int[] {-1}, "keepdims", 1));
        ONNXNode inv = op(TransformerOps.RECIPROCAL, List.of(op(TransformerOps.SQRT, List.of(op(ONNXOperators.ADD,
                List.of(ms, f("eps", (float) spec.normEps())))))));
        return op(ONNXOperators.MUL, List.of(op(ONNXOperators.MUL, List.of(x, inv)), weight(weightName, false)));
    }

    private ONNXNode rope(ONNXNode x, ONNXNode cos, ONNXNode sin, ONNXRef<?> rotate) {
        return op(ONNXOperators.ADD, List.of(op(ONNXOperators.MUL, List.of(x, cos)), op(ONNXOperators.MUL,
                List.of(op(TransformerOps.MATMUL, List.of(x, rotate)), sin))));
    }

    /** [BL,T,n*hd] to [BL,n,T,hd]. */
    private ONNXNode heads(ONNXNode x, int n, int hd) {
        return op(TransformerOps.TRANSPOSE, List.of(reshape(x, 0, 0, n, hd)), Map.of("perm", new int[] {0, 2, 1,
                3}));
    }

    /** A Hugging Face {@code nn.Linear}: {@code x W^T (+ b)}, W stored transposed. */
    private ONNXNode linear(ONNXNode x, String module, boolean bias) {
        ONNXNode y = op(TransformerOps.MATMUL, List.of(x, weight(module + ".weight", true)));
        return bias ? op(ONNXOperators.ADD, List.of(y, weight(module + ".bias", false))) : y;
    }

    /** A GPT-2 {@code Conv1D}: {@code x W + b} with W stored {@code [in, out]} already. */
    private ONNXNode conv1d(ONNXNode x, String module) {
        return op(ONNXOperators.ADD, List.of(op(TransformerOps.MATMUL, List.of(x, weight(module + ".weight",
                false))), weight(module + ".bias", false)));
    }

    private ONNXRef<?> lmHeadT() {
        String name;
        if (spec.architecture() == Architecture.GPT2) {
            name = gpt2("wte.weight");
        } else {
            name = spec.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
        }
        Tensor w = tensor(name);
        return floats("lm_head_t", new int[] {w.dim(1), w.dim(0)}, transpose(w));
    }

    private ONNXRef<?> weight(String name, boolean transposed) {
        Tensor w = tensor(name);
        if (!transposed) {
            return floats(name, w.shape(), w.data());
        }
        if (w.rank() != 2) {
            throw new FedbiotException("weight '" + name + "' must be 2-D, found " + Arrays.toString(w.shape()));
        }
        return floats(name + ".T", new int[] {w.dim(1), w.dim(0)}, transpose(w));
    }

    private Tensor tensor(String name) {
        Tensor w = weights.apply(name);
        if (w == null && name.startsWith("transformer.")) {
            w = weights.apply(name.substring("transformer.".length()));
        }
        if (w == null) {
            throw new FedbiotException("the merged checkpoint has no tensor '" + name + "'");
        }
        return w;
    }

    private static float[] transpose(Tensor w) {
        int rows = w.dim(0);
        int cols = w.dim(1);
        float[] src = w.data();
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = src[i * cols + j];
            }
        }
        return out;
    }

    /** Adds a [1,L,1...] zero tensor so that a [B,...] value gets an L axis after the batch axis. */
    private ONNXNode broadcastL(ONNXNode x, int... rest) {
        long[] shape = new long[rest.length + 2];
        shape[0] = 0;
        shape[1] = 1;
        for (int i = 0; i < rest.length; i++) {
            shape[i + 2] = rest[i];
        }
        ONNXNode x1 = reshapeLong(x, shape);
        int[] zShape = new int[rest.length + 2];
        Arrays.fill(zShape, 1);
        zShape[1] = continuations.length;
        return op(ONNXOperators.ADD, List.of(x1, floats("zerosL", zShape, new float[continuations.length])));
    }

    private ONNXNode unsqueeze(ONNXNode x, long axis) {
        return op(ONNXOperators.UNSQUEEZE, List.of(x, longs("axes", axis)));
    }

    private ONNXNode reshape(ONNXRef<?> x, long... shape) {
        return reshapeLong(x, shape);
    }

    private ONNXNode reshapeLong(ONNXRef<?> x, long[] shape) {
        return op(TransformerOps.RESHAPE, List.of(x, ctx.array(name("shape"), shape)));
    }

    private ONNXNode cast(ONNXNode x, DataType to) {
        return op(ONNXOperators.CAST, List.of(x), Map.of("to", to.getNumber()));
    }

    private ONNXRef<?> longs(String base, long... values) {
        return ctx.array(name(base), values);
    }

    private ONNXRef<?> f(String base, float value) {
        return ctx.constant(name(base), value);
    }

    private ONNXRef<?> floats(String base, int[] dims, float[] data) {
        return ctx.floatTensor(name(base), Arrays.stream(dims).boxed().toList(), fb -> fb.put(data));
    }

    private ONNXNode op(ONNXOperator operator, List<? extends ONNXRef<?>> inputs) {
        return op(operator, inputs, Map.of());
    }

    private ONNXNode op(ONNXOperator operator, List<? extends ONNXRef<?>> inputs, Map<String, Object> attrs) {
        return ctx.operation(operator, inputs, name(operator.getOpName()), attrs);
    }

    private String name(String base) {
        return base + "_" + (counter++);
    }
}
