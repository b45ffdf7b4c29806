/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.engine.WeightFormat;

/**
 * A matrix held as GGUF blocks of 32 weights along each row, the block fields split into arrays: Q8_0 as
 * {@code INT8 [rows, blocks, 32]} quants and an f16 scale {@code d} per block ({@code x = d q}); Q4_0 and Q4_1 as
 * {@code UINT8 [rows, blocks, 16]} packed nibbles (weight {@code j} in the low nibble of byte {@code j}, weight
 * {@code j + 16} in its high nibble, as ggml packs them) with {@code x = d (q - 8)}, or {@code x = d q + m} with
 * an f16 minimum {@code m} for Q4_1. Widening runs in PyTorch: cast (Q8_0) or unpack the nibbles by a lookup of
 * each byte in a 256-row table of its two nibble values ({@link NibbleTable}: one gather, where PyTorch's
 * {@code remainder} cost 10x more), multiply by the scales and add the minima, in the same float32 order as
 * core's {@code Dequantizer}, so both give the same values.
 */
public final class BlockWeight implements StoredWeight {
    /** Weights per block. */
    public static final int BLOCK = 32;

    private final WeightFormat format;
    private final Shape shape;
    private final NDArray quants;
    private final NDArray scales;
    private final NDArray mins;
    private final NibbleTable nibbles;

    BlockWeight(WeightFormat format, Shape shape, NDArray quants, NDArray scales, NDArray mins,
            NibbleTable nibbles) {
        if (!format.isBlockQuantized()) {
            throw new IllegalArgumentException("not a block format: " + format);
        }
        if ((format == WeightFormat.Q4_1) != (mins != null)) {
            throw new IllegalArgumentException("Q4_1, and only Q4_1, has minima");
        }
        this.format = format;
        this.shape = shape;
        this.quants = quants;
        this.scales = scales;
        this.mins = mins;
        this.nibbles = nibbles;
    }

    /** {@inheritDoc} */
    @Override
    public Shape shape() {
        return shape;
    }

    /** {@inheritDoc} */
    @Override
    public WeightFormat format() {
        return format;
    }

    /** {@inheritDoc} */
    @Override
    public long bytes() {
        long b = quants.getShape().size() + scales.getShape().size() * 2;
        return mins == null ? b : b + mins.getShape().size() * 2;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray widen(NDManager manager) {
        return Widening.into(manager, this::compute);
    }

    private NDArray compute() {
        NDArray d = scales.toType(DataType.FLOAT32, false);
        if (format == WeightFormat.Q8_0) {
            return quants.toType(DataType.FLOAT32, false).muli(d).reshape(shape);
        }
        NDArray values = nibbles.unpack(quants, format == WeightFormat.Q4_0);
        if (format == WeightFormat.Q4_0) {
            return values.muli(d).reshape(shape);
        }
        return values.muli(d).addi(mins.toType(DataType.FLOAT32, false)).reshape(shape);
    }

    /** {@inheritDoc} */
    @Override
    public float[] toFloats() {
        try (NDManager m = quants.getManager().newSubManager()) {
            return widen(m).toFloatArray();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        quants.close();
        scales.close();
        if (mins != null) {
            mins.close();
        }
    }
}
