/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Merges LoRA into base weights on the heap, as PEFT's {@code merge_and_unload} does:
 * <pre>
 *   W' = W + s B A        (s = alpha / r, A of shape [r, in], B of shape [out, r])
 * </pre>
 * GPT-2's {@code Conv1D} weights are stored {@code [in, out]}, so the update is added transposed there. Each
 * element's dot product over the rank is summed in double precision and added to the float weight once.
 */
public final class LoraMerge {
    private static final String A_SUFFIX = ".lora_A.weight";
    private static final String B_SUFFIX = ".lora_B.weight";

    private LoraMerge() {}

    /**
     * Returns the base weights with every LoRA pair merged into the weight it adapts; other tensors are kept
     * as they are, in the base's order.
     *
     * @param arch the model family (for the {@code Conv1D} layout)
     * @param base the base weights in Hugging Face layout
     * @param lora LoRA A and B tensors named as {@link LoraNames} names them, each A with its B
     * @param scaling s, usually {@link LoraSpec#scaling()}
     * @return the merged weights
     * @throws IllegalArgumentException if an A has no B, or its base weight is missing or of another shape
     */
    public static NamedTensors merge(Architecture arch, NamedTensors base, NamedTensors lora, double scaling) {
        Map<String, Tensor> replaced = new HashMap<>();
        for (String name : lora.names()) {
            if (!name.endsWith(A_SUFFIX)) {
                continue;
            }
            String bName = name.substring(0, name.length() - A_SUFFIX.length()) + B_SUFFIX;
            String wName = LoraNames.baseWeight(name);
            if (!lora.contains(bName) || !base.contains(wName)) {
                throw new IllegalArgumentException("LoRA tensor '" + name + "' needs '" + bName + "' and a base weight '"
                        + wName + "'");
            }
            replaced.put(wName, merge(base.get(wName), lora.get(name), lora.get(bName), scaling,
                    arch.isConv1D(wName)));
        }
        NamedTensors.Builder b = NamedTensors.builder();
        base.asMap().forEach((name, t) -> b.add(name, replaced.getOrDefault(name, t)));
        return b.build();
    }

    /**
     * Returns one weight with {@code s B A} added.
     *
     * @param weight W, {@code [out, in]}, or {@code [in, out]} when {@code conv1D}
     * @param a A, {@code [r, in]}
     * @param b B, {@code [out, r]}
     * @param scaling s
     * @param conv1D whether W is stored {@code [in, out]}
     * @return the merged weight (W itself is not changed)
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static Tensor merge(Tensor weight, Tensor a, Tensor b, double scaling, boolean conv1D) {
        if (a.rank() != 2 || b.rank() != 2 || b.dim(1) != a.dim(0)
                || !weight.hasShape(conv1D ? new int[] {a.dim(1), b.dim(0)} : new int[] {b.dim(0), a.dim(1)})) {
            throw new IllegalArgumentException("cannot merge A " + Arrays.toString(a.shape()) + " and B "
                    + Arrays.toString(b.shape()) + " into a weight of shape " + Arrays.toString(weight.shape())
                    + (conv1D ? " (Conv1D)" : ""));
        }
        int r = a.dim(0);
        int in = a.dim(1);
        int out = b.dim(0);
        float[] data = weight.data().clone();
        float[] ad = a.data();
        float[] bd = b.data();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double acc = 0;
                for (int j = 0; j < r; j++) {
                    acc += (double) bd[o * r + j] * ad[j * in + i];
                }
                int idx = conv1D ? i * out + o : o * in + i;
                data[idx] += (float) (scaling * acc);
            }
        }
        return new Tensor(weight.shape(), data);
    }
}
