/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import io.github.fedbiot.tensor.Tensor;

/**
 * The row order of the query and key projections of LLaMA models in GGUF files.
 *
 * <p>Hugging Face's LLaMA rotates each head's vector by pairing dimension {@code i} with {@code i + h/2}
 * ({@code h} the head dimension, "rotate half"). ggml's LLaMA rope pairs adjacent dimensions {@code 2i} and
 * {@code 2i + 1}. So llama.cpp's converter reorders the rows of {@code q_proj} (per attention head) and
 * {@code k_proj} (per key/value head): within a head, Hugging Face row {@code a * h/2 + i} ({@code a} in
 * {0, 1}) becomes GGUF row {@code 2i + a}. {@link #toHuggingFace} undoes that; {@link #toGguf} applies it.
 * Architectures whose ggml rope is the "NeoX" kind (Qwen2, for one) are stored unpermuted.
 */
public final class RotaryLayout {
    private RotaryLayout() {}

    /**
     * Restores the Hugging Face row order of a GGUF query or key weight (or bias).
     *
     * @param t the tensor as read, shape {@code [heads * headDim]} or {@code [heads * headDim, in]}
     * @param heads the number of heads of this projection (attention heads for q, key/value heads for k)
     * @return the tensor in Hugging Face order
     */
    public static Tensor toHuggingFace(Tensor t, int heads) {
        return reorder(t, heads, true);
    }

    /**
     * Applies llama.cpp's row order to a Hugging Face query or key weight (or bias); the inverse of
     * {@link #toHuggingFace}.
     *
     * @param t the tensor in Hugging Face order
     * @param heads the number of heads of this projection
     * @return the tensor in GGUF order
     */
    public static Tensor toGguf(Tensor t, int heads) {
        return reorder(t, heads, false);
    }

    private static Tensor reorder(Tensor t, int heads, boolean toHf) {
        if (t.rank() < 1 || t.rank() > 2) {
            throw new IllegalArgumentException("expected a vector or matrix, got " + t);
        }
        int rows = t.dim(0);
        int cols = t.rank() == 2 ? t.dim(1) : 1;
        if (heads <= 0 || rows % heads != 0 || (rows / heads) % 2 != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into " + heads
                    + " heads of an even dimension");
        }
        int headDim = rows / heads;
        int halfDim = headDim / 2;
        float[] src = t.data();
        float[] dst = new float[src.length];
        for (int h = 0; h < heads; h++) {
            for (int a = 0; a < 2; a++) {
                for (int i = 0; i < halfDim; i++) {
                    int hfRow = h * headDim + a * halfDim + i;
                    int ggufRow = h * headDim + 2 * i + a;
                    int from = toHf ? ggufRow : hfRow;
                    int to = toHf ? hfRow : ggufRow;
                    System.arraycopy(src, from * cols, dst, to * cols, cols);
                }
            }
        }
        return new Tensor(t.shape(), dst);
    }
}
