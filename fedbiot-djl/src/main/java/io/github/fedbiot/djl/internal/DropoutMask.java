/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Draws inverted-dropout masks from a {@link SplittableRandom}: each element is 0 with probability {@code p}
 * and {@code 1 / (1 - p)} otherwise, so {@code x * mask} keeps the expectation of {@code x} (PyTorch's
 * {@code nn.Dropout} in training mode). The masks are drawn in Java rather than by PyTorch's generator so that
 * they follow from the configuration's seed alone; PyTorch's generator is one per process.
 *
 * <p>Each element takes 16 bits of the stream (four per {@code nextLong}) and is dropped when they are below
 * {@code round(p * 65536)}: the drop probability is {@code p} to within {@code 2^-17}, and the scale is
 * {@code 1 / (1 - p)} exactly as PyTorch's.
 */
public final class DropoutMask {
    private DropoutMask() {}

    /**
     * Draws a mask.
     *
     * @param manager the manager of the result
     * @param shape the shape
     * @param p the drop probability, in (0, 1)
     * @param rng the stream to draw from (advanced by {@code ceil(n / 4)} longs)
     * @return a float32 array in PyTorch's own memory (see {@link Ops#owned}), 0 or {@code 1 / (1 - p)}
     */
    public static NDArray draw(NDManager manager, Shape shape, double p, SplittableRandom rng) {
        int n = Math.toIntExact(shape.size());
        byte[] keep = new byte[n];
        int threshold = (int) Math.round(p * 65536);
        for (int i = 0; i < n; i += 4) {
            long bits = rng.nextLong();
            for (int j = 0; j < 4 && i + j < n; j++) {
                int u = (int) ((bits >>> (16 * j)) & 0xFFFF);
                keep[i + j] = u < threshold ? (byte) 0 : (byte) 1;
            }
        }
        // one byte per element crosses to the native side (a quarter of a float mask); the conversion and the
        // scaling run natively and give PyTorch-owned memory, which autograd may keep past the Java buffer
        try (NDArray flags = manager.create(ByteBuffer.allocateDirect(n).put(keep).flip(), shape, DataType.UINT8)) {
            NDArray mask = flags.toType(DataType.FLOAT32, true);
            return mask.muli(Ops.scalar(manager, (float) (1 / (1 - p))));
        }
    }
}
