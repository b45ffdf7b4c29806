/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Function;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The merged checkpoint's weights as graph initializers, looked up by Hugging Face name. Linear weights are
 * written transposed ({@code [in, out]}) so that the graph multiplies {@code x W} without a Transpose node.
 */
final class CheckpointWeights {
    /** GPT-2 checkpoints name their weights with or without this prefix, depending on how they were saved. */
    private static final String GPT2_PREFIX = "transformer.";

    private final GraphWriter graph;
    private final Function<String, Tensor> weights;

    /**
     * Creates the lookup.
     *
     * @param graph the writer the initializers go into
     * @param weights the merged weights by Hugging Face name, null for a missing one
     */
    CheckpointWeights(GraphWriter graph, Function<String, Tensor> weights) {
        this.graph = graph;
        this.weights = weights;
    }

    /** Returns a GPT-2 weight name; {@link #tensor} also tries it without the prefix, as checkpoints differ. */
    static String gpt2(String suffix) {
        return GPT2_PREFIX + suffix;
    }

    /**
     * Returns a weight as an initializer.
     *
     * @param name the Hugging Face name
     * @param transposed whether to write the 2-D weight transposed, as {@code [in, out]}
     * @return the initializer
     * @throws FedbiotException if the checkpoint lacks the weight, or a transposed one is not 2-D
     */
    ONNXRef<?> weight(String name, boolean transposed) {
        Tensor w = tensor(name);
        if (!transposed) {
            return graph.floats(name, w.shape(), w.data());
        }
        if (w.rank() != 2) {
            throw new FedbiotException("weight '" + name + "' must be 2-D, found " + Arrays.toString(w.shape()));
        }
        return graph.floats(name + ".T", new int[] {w.dim(1), w.dim(0)}, transpose(w));
    }

    /**
     * Returns the LM head transposed to {@code [d, vocab]}: the token embedding when the model ties them.
     *
     * @param spec the model shape
     * @return the initializer
     */
    ONNXRef<?> lmHeadTransposed(ModelSpec spec) {
        String name;
        if (spec.architecture() == Architecture.GPT2) {
            name = gpt2("wte.weight");
        } else {
            name = spec.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
        }
        Tensor w = tensor(name);
        return graph.floats("lm_head_t", new int[] {w.dim(1), w.dim(0)}, transpose(w));
    }

    private Tensor tensor(String name) {
        Tensor w = weights.apply(name);
        if (w == null && name.startsWith(GPT2_PREFIX)) {
            w = weights.apply(name.substring(GPT2_PREFIX.length()));
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
}
