/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * Tensor operations the decoder blocks share. Every method keeps the activation as the first operand, so
 * results land in the activation's (per-call) manager and never in the frozen weights' manager.
 */
public final class Ops {
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    private Ops() {}

    /**
     * Returns {@code x W^T + b} in one fused call.
     *
     * @param x input {@code [..., in]}
     * @param weight {@code [out, in]}
     * @param bias {@code [out]} or null
     * @return {@code [..., out]}
     */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * Returns RMSNorm {@code x / sqrt(mean(x^2) + eps) * w} over the last axis.
     *
     * @param x input
     * @param weight scale
     * @param eps epsilon
     * @return the normalised input
     */
    public static NDArray rmsNorm(NDArray x, NDArray weight, float eps) {
        NDArray ms = x.square().mean(new int[] {-1}, true);
        // adding a Java number is safe in the graph (add's backward keeps no input; see scalar)
        return x.div(ms.addi(eps).sqrt()).mul(weight);
    }

    /**
     * Returns LayerNorm over the last axis (fused).
     *
     * @param x input
     * @param weight gamma
     * @param bias beta
     * @param eps epsilon
     * @return the normalised input
     */
    public static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, float eps) {
        long d = x.getShape().get(x.getShape().dimension() - 1);
        return x.getNDArrayInternal().layerNorm(x, new Shape(d), weight, bias, eps).singletonOrThrow();
    }

    /**
     * Returns SiLU {@code x * sigmoid(x)}.
     *
     * @param x input
     * @return the activation
     */
    public static NDArray silu(NDArray x) {
        return x.mul(x.getNDArrayInternal().sigmoid());
    }

    /**
     * Returns GPT-2's {@code gelu_new}: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
     *
     * @param x input
     * @return the activation
     */
    public static NDArray geluNew(NDArray x) {
        // tanh's (and pow's) backward reads its output, so those outputs are never changed in place
        NDArray inner = x.mul(x).mul(x).muli(scalar(x, 0.044715f)).addi(x).muli(scalar(x, SQRT_2_OVER_PI)).tanh();
        return x.mul(inner.add(scalar(x, 1f))).muli(scalar(x, 0.5f));
    }

    /**
     * Applies rotary embeddings with Hugging Face's rotate-half convention:
     * {@code x cos + rotate_half(x) sin}, {@code rotate_half([x1, x2]) = [-x2, x1]}. The sign of the first
     * half is folded into {@code signedSin = [-sin, sin]}, so the rotation is {@code [x2, x1] * signedSin}.
     *
     * @param x input {@code [..., T, dh]}
     * @param cos {@code [T, dh]}
     * @param signedSin {@code [T, dh]}: {@code -sin} in the first half, {@code sin} in the second
     * @return the rotated input
     */
    public static NDArray rope(NDArray x, NDArray cos, NDArray signedSin) {
        int last = x.getShape().dimension() - 1;
        ai.djl.ndarray.NDList halves = x.split(2, last);
        NDArray swapped = NDArrays.concat(new ai.djl.ndarray.NDList(halves.get(1), halves.get(0)), last);
        return x.mul(cos).addi(swapped.muli(signedSin));
    }


    /**
     * Returns a scalar for arithmetic inside the autograd graph, in PyTorch-owned memory and in the manager of
     * {@code like}. Never pass a Java number to DJL's arithmetic there ({@code x.mul(0.5f)}, {@code x.div(n)},
     * {@code x.pow(-0.5f)}): DJL 0.36 wraps the number in an array over a Java direct buffer and closes that
     * array right after the call, but autograd keeps it for the backward pass of mul, div and pow (add and sub
     * keep no input, so adding a number is safe); once a garbage
     * collection frees the buffer, the backward pass reads freed memory. That gave garbage and all-NaN LoRA
     * gradients whenever the JVM collected between a forward and its backward pass (measured: 40-60 % of the
     * alignment steps of the default simulation skipped, and wrong client updates).
     *
     * @param like an array whose manager receives the scalar
     * @param value the value
     * @return a 0-dimensional float32 array
     */
    public static NDArray scalar(NDArray like, float value) {
        return scalar(like.getManager(), value);
    }

    /**
     * Returns a PyTorch-owned scalar in a manager (see {@link #scalar(NDArray, float)}).
     *
     * @param manager the manager of the result
     * @param value the value
     * @return a 0-dimensional float32 array
     */
    public static NDArray scalar(NDManager manager, float value) {
        return owned(manager, new float[] {value}, new Shape());
    }

    /** Floats copied per slice by {@link #owned}: 4 MiB, so the temporary direct buffer stays small. */
    private static final int SLICE_FLOATS = 1 << 20;

    /**
     * Copies heap values into an array in PyTorch's own memory. DJL's {@code create(Buffer, Shape)} hands PyTorch
     * a view of a Java direct buffer: autograd may keep such a tensor for the backward pass after the buffer is
     * freed (see {@link #scalar}), and the buffer is only 16-byte aligned where PyTorch's allocator aligns to 64
     * bytes. Arrays larger than 4 MiB (frozen weights) are filled a slice of rows at a time, so a copy never
     * needs a second buffer of the array's full size.
     *
     * @param manager the manager of the result
     * @param values the values, row-major
     * @param shape the shape
     * @return a new array backed by PyTorch's allocator
     */
    public static NDArray owned(NDManager manager, float[] values, Shape shape) {
        if (values.length <= SLICE_FLOATS || shape.dimension() == 0) {
            try (NDArray javaBacked = manager.create(FloatBuffer.wrap(values), shape)) {
                return javaBacked.duplicate();
            }
        }
        NDArray out = manager.zeros(shape);
        int rows = Math.toIntExact(shape.get(0));
        int cols = values.length / rows;
        int step = Math.max(1, SLICE_FLOATS / Math.max(1, cols));
        for (int r0 = 0; r0 < rows; r0 += step) {
            int r1 = Math.min(rows, r0 + step);
            long[] sliceShape = shape.getShape();
            sliceShape[0] = r1 - r0;
            FloatBuffer slice = FloatBuffer.wrap(values, r0 * cols, (r1 - r0) * cols).slice();
            try (NDArray part = manager.create(slice, new Shape(sliceShape))) {
                out.set(new NDIndex(r0 + ":" + r1), part);
            }
        }
        return out;
    }
}
