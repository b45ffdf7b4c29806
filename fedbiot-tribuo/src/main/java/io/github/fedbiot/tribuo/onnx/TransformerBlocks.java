/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The building blocks a decoder layer is made of (projections, norms, RoPE, attention, GELU), each written as
 * ONNX nodes computing what the Hugging Face module of the same name computes.
 */
final class TransformerBlocks {
    private final GraphWriter graph;
    private final CheckpointWeights weights;
    private final ModelSpec spec;

    /**
     * Creates the blocks of a model.
     *
     * @param graph the writer the nodes go into
     * @param weights the model's weights
     * @param spec the model shape (norm epsilon, architecture)
     */
    TransformerBlocks(GraphWriter graph, CheckpointWeights weights, ModelSpec spec) {
        this.graph = graph;
        this.weights = weights;
        this.spec = spec;
    }

    /** Returns the writer, for the few nodes a decoder stack writes itself. */
    GraphWriter graph() {
        return graph;
    }

    /** Returns the weights, for the embeddings a decoder stack reads itself. */
    CheckpointWeights weights() {
        return weights;
    }

    /** Scaled dot-product attention over the last two axes; LLaMA's tensors carry a GQA group axis (rank 5). */
    ONNXNode attention(ONNXNode q, ONNXNode k, ONNXNode v, ONNXNode mask, ONNXRef<?> scale) {
        int[] perm = spec.architecture() == Architecture.GPT2 ? new int[] {0, 1, 3, 2} : new int[] {0, 1, 2, 4, 3};
        ONNXNode kt = graph.op(TransformerOps.TRANSPOSE, List.of(k), Map.of("perm", perm));
        ONNXNode scores = graph.op(ONNXOperators.ADD, List.of(graph.op(ONNXOperators.MUL,
                List.of(graph.op(TransformerOps.MATMUL, List.of(q, kt)), scale)), mask));
        ONNXNode probs = graph.op(ONNXOperators.SOFTMAX, List.of(scores), Map.of("axis", -1));
        return graph.op(TransformerOps.MATMUL, List.of(probs, v));
    }

    /** Transformers' NewGELUActivation: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    ONNXNode geluNew(ONNXNode x) {
        ONNXNode x3 = graph.op(ONNXOperators.MUL, List.of(graph.op(ONNXOperators.MUL, List.of(x, x)), x));
        ONNXNode inner = graph.op(ONNXOperators.MUL, List.of(graph.op(ONNXOperators.ADD, List.of(x,
                graph.op(ONNXOperators.MUL, List.of(x3, graph.scalar("gelu_c", 0.044715f))))),
                graph.scalar("gelu_s", (float) Math.sqrt(2.0 / Math.PI))));
        ONNXNode t = graph.op(ONNXOperators.ADD, List.of(graph.op(TransformerOps.TANH, List.of(inner)),
                graph.scalar("one", 1f)));
        return graph.op(ONNXOperators.MUL, List.of(graph.op(ONNXOperators.MUL, List.of(x, t)),
                graph.scalar("half_c", 0.5f)));
    }

    /** A {@code LayerNorm} over the last axis with the module's weight and bias. */
    ONNXNode layerNorm(ONNXNode x, String prefix) {
        ONNXNode mean = graph.op(ONNXOperators.REDUCE_MEAN, List.of(x), Map.of("axes", new int[] {-1}, "keepdims",
                1));
        ONNXNode c = graph.op(ONNXOperators.SUB, List.of(x, mean));
        ONNXNode var = graph.op(ONNXOperators.REDUCE_MEAN, List.of(graph.op(ONNXOperators.MUL, List.of(c, c))),
                Map.of("axes", new int[] {-1}, "keepdims", 1));
        ONNXNode inv = inverseSqrt(var);
        return graph.op(ONNXOperators.ADD, List.of(graph.op(ONNXOperators.MUL, List.of(graph.op(ONNXOperators.MUL,
                List.of(c, inv)), weights.weight(prefix + ".weight", false))), weights.weight(prefix + ".bias",
                false)));
    }

    /** LLaMA's {@code RMSNorm} over the last axis. */
    ONNXNode rmsNorm(ONNXNode x, String weightName) {
        ONNXNode ms = graph.op(ONNXOperators.REDUCE_MEAN, List.of(graph.op(ONNXOperators.MUL, List.of(x, x))),
                Map.of("axes", new int[] {-1}, "keepdims", 1));
        ONNXNode inv = inverseSqrt(ms);
        return graph.op(ONNXOperators.MUL, List.of(graph.op(ONNXOperators.MUL, List.of(x, inv)),
                weights.weight(weightName, false)));
    }

    /** {@code 1 / sqrt(x + eps)}, the scale both norms apply. */
    private ONNXNode inverseSqrt(ONNXNode x) {
        return graph.op(TransformerOps.RECIPROCAL, List.of(graph.op(TransformerOps.SQRT, List.of(graph.op(
                ONNXOperators.ADD, List.of(x, graph.scalar("eps", (float) spec.normEps())))))));
    }

    /** Rotary embedding {@code x cos + rotate_half(x) sin}, rotate_half as a matrix product. */
    ONNXNode rope(ONNXNode x, ONNXNode cos, ONNXNode sin, ONNXRef<?> rotate) {
        return graph.op(ONNXOperators.ADD, List.of(graph.op(ONNXOperators.MUL, List.of(x, cos)),
                graph.op(ONNXOperators.MUL, List.of(graph.op(TransformerOps.MATMUL, List.of(x, rotate)), sin))));
    }

    /** [BL,T,n*hd] to [BL,n,T,hd]. */
    ONNXNode heads(ONNXNode x, int n, int hd) {
        return graph.op(TransformerOps.TRANSPOSE, List.of(graph.reshape(x, 0, 0, n, hd)), Map.of("perm",
                new int[] {0, 2, 1, 3}));
    }

    /** A Hugging Face {@code nn.Linear}: {@code x W^T (+ b)}, W stored transposed. */
    ONNXNode linear(ONNXNode x, String module, boolean bias) {
        ONNXNode y = graph.op(TransformerOps.MATMUL, List.of(x, weights.weight(module + ".weight", true)));
        return bias ? graph.op(ONNXOperators.ADD, List.of(y, weights.weight(module + ".bias", false))) : y;
    }

    /** A GPT-2 {@code Conv1D}: {@code x W + b} with W stored {@code [in, out]} already. */
    ONNXNode conv1d(ONNXNode x, String module) {
        return graph.op(ONNXOperators.ADD, List.of(graph.op(TransformerOps.MATMUL, List.of(x,
                weights.weight(module + ".weight", false))), weights.weight(module + ".bias", false)));
    }
}
