/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
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
 *
 * <p>This class writes the label-scoring frame around the decoder (sequences, positions, mask, selection of
 * the continuation tokens' log-probabilities); {@code DecoderStack} writes the decoder itself from {@code
 * TransformerBlocks}, and every node goes through one {@code GraphWriter}, so node names stay unique.
 */
public final class LabelScoringGraph {
    private static final float NEG_INF = -1e9f;

    private final GraphWriter graph;
    private final CheckpointWeights weights;
    private final ModelSpec spec;
    private final List<Integer> stack;
    private final int promptLength;
    private final int[][] continuations;
    private final int maxContinuation;
    private final int seqLen;

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
        this.graph = new GraphWriter(ctx);
        this.weights = new CheckpointWeights(graph, weights);
        this.spec = spec;
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
        ONNXNode ids = graph.op(TransformerOps.RELU, List.of(graph.op(ONNXOperators.SUB, List.of(input,
                graph.scalar("one", 1f)))));
        ONNXNode idsLong = graph.cast(ids, DataType.INT64);
        ONNXNode valid = graph.cast(graph.op(ONNXOperators.GREATER, List.of(input, graph.scalar("half", 0.5f))),
                DataType.FLOAT);
        ONNXNode len = graph.op(ONNXOperators.REDUCE_SUM, List.of(valid, graph.longs("axis1", 1)),
                Map.of("keepdims", 1));
        ONNXNode zerosB = graph.op(ONNXOperators.MUL, List.of(len, graph.scalar("zero", 0f))); // [B,1] zeros, carries B

        // Sequences [B*L, T] = [prompt ; continuation l].
        long[] cont = new long[l * m];
        float[] contMask = new float[l * m];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < continuations[i].length; j++) {
                cont[i * m + j] = continuations[i][j];
                contMask[i * m + j] = 1f;
            }
        }
        ONNXNode promptPart = graph.op(ONNXOperators.ADD, List.of(graph.unsqueeze(idsLong, 1),
                graph.reshape(graph.longs("zerosL", new long[l]), 1, l, 1)));
        ONNXNode contPart = graph.op(ONNXOperators.ADD, List.of(graph.reshape(graph.longs("cont", cont), 1, l, m),
                graph.cast(graph.unsqueeze(zerosB, 2), DataType.INT64)));
        ONNXNode seq = graph.reshape(graph.op(ONNXOperators.CONCAT, List.of(promptPart, contPart),
                Map.of("axis", 2)), -1, t);

        // Positions: t for the prompt, len + j for the continuation's j-th token.
        float[] ar = new float[t];
        float[] isCont = new float[t];
        for (int i = 0; i < t; i++) {
            ar[i] = i;
            isCont[i] = i >= p ? 1f : 0f;
        }
        ONNXNode pos = graph.op(ONNXOperators.ADD, List.of(graph.floats("arange", ar), graph.op(ONNXOperators.MUL,
                List.of(graph.floats("isCont", isCont), graph.op(ONNXOperators.SUB, List.of(len,
                        graph.scalar("P", p)))))));
        ONNXNode posL = graph.cast(graph.reshape(broadcastL(pos, t), -1, t), DataType.INT64);

        // Additive attention mask [B*L, 1, T, T]: causal, and no prompt padding as key.
        float[] onesM = new float[m];
        Arrays.fill(onesM, 1f);
        ONNXNode keyValid = graph.op(ONNXOperators.CONCAT, List.of(valid, graph.op(ONNXOperators.ADD,
                List.of(zerosB, graph.floats("onesM", onesM)))), Map.of("axis", 1));
        ONNXNode keyBias = graph.op(ONNXOperators.MUL, List.of(graph.op(ONNXOperators.SUB, List.of(keyValid,
                graph.scalar("one", 1f))), graph.scalar("big", -NEG_INF)));
        float[] causal = new float[t * t];
        for (int q = 0; q < t; q++) {
            for (int k = q + 1; k < t; k++) {
                causal[q * t + k] = NEG_INF;
            }
        }
        ONNXNode mask = graph.op(ONNXOperators.ADD, List.of(graph.reshape(keyBias, -1, 1, 1, t),
                graph.floats("causal", new int[] {t, t}, causal)));
        ONNXNode maskL = graph.reshape(broadcastL(mask, 1, t, t), -1, 1, 1, t, t);

        ONNXNode x = DecoderStack.of(spec, new TransformerBlocks(graph, weights, spec), stack, seqLen).write(seq, posL,
                maskL);

        // Hidden states that predict each continuation token: len-1 for the first, P+j-1 after.
        ONNXNode hidden4 = graph.reshape(x, -1, l, t, spec.hiddenSize());
        float[] srcConst = new float[m];
        float[] srcLen = new float[m];
        for (int j = 0; j < m; j++) {
            srcConst[j] = j == 0 ? -1 : p + j - 1;
            srcLen[j] = j == 0 ? 1 : 0;
        }
        ONNXNode src = graph.op(ONNXOperators.ADD, List.of(graph.floats("srcConst", srcConst),
                graph.op(ONNXOperators.MUL, List.of(graph.floats("srcLen", srcLen), len))));
        ONNXNode oneHot = graph.cast(graph.op(TransformerOps.EQUAL, List.of(graph.unsqueeze(src, 2),
                graph.floats("arangeT", ar))), DataType.FLOAT);
        ONNXNode selected = graph.op(TransformerOps.MATMUL, List.of(graph.unsqueeze(oneHot, 1), hidden4)); // [B,L,M,d]
        ONNXNode logits = graph.op(TransformerOps.MATMUL, List.of(selected, weights.lmHeadTransposed(spec)));
        ONNXNode logProbs = graph.op(TransformerOps.LOG_SOFTMAX, List.of(logits), Map.of("axis", -1));
        int v = spec.vocabSize();
        float[] target = new float[l * m * v];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < m; j++) {
                target[(i * m + j) * v + (int) cont[i * m + j]] = 1f;
            }
        }
        ONNXNode tokenLl = graph.op(ONNXOperators.REDUCE_SUM, List.of(graph.op(ONNXOperators.MUL, List.of(logProbs,
                graph.floats("targetOneHot", new int[] {l, m, v}, target))), graph.longs("axisLast", -1)),
                Map.of("keepdims", 0));
        ONNXNode ll = graph.op(ONNXOperators.REDUCE_SUM, List.of(graph.op(ONNXOperators.MUL, List.of(tokenLl,
                graph.floats("contMask", new int[] {l, m}, contMask))), graph.longs("axisLast2", -1)),
                Map.of("keepdims", 0));
        ONNXNode probs = graph.op(ONNXOperators.SOFTMAX, List.of(ll), Map.of("axis", -1));
        return new Scores(probs, ll);
    }

    /** Adds a [1,L,1...] zero tensor so that a [B,...] value gets an L axis after the batch axis. */
    private ONNXNode broadcastL(ONNXNode x, int... rest) {
        long[] shape = new long[rest.length + 2];
        shape[0] = 0;
        shape[1] = 1;
        for (int i = 0; i < rest.length; i++) {
            shape[i + 2] = rest[i];
        }
        ONNXNode x1 = graph.reshape(x, shape);
        int[] zShape = new int[rest.length + 2];
        Arrays.fill(zShape, 1);
        zShape[1] = continuations.length;
        return graph.op(ONNXOperators.ADD, List.of(x1, graph.floats("zerosL", zShape,
                new float[continuations.length])));
    }
}
