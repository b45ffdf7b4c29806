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
 * A weight held as one native array: float32 (its own widened form), float16 (widened by a cast) or bfloat16.
 * DJL 0.36 aborts the JVM on BF16 (and INT16) arrays, so bfloat16 is held as its 16-bit patterns, a UINT8
 * array with a last axis of the two little-endian bytes, and widened exactly through a 65536-entry float32
 * table (a bfloat16 is the top half of a float32).
 */
public final class DenseWeight implements StoredWeight {
    private final NDArray data;
    private final WeightFormat format;
    private final Bf16Table table;
    private final Shape shape;

    DenseWeight(NDArray data, WeightFormat format, Bf16Table table) {
        if (format != WeightFormat.F32 && format != WeightFormat.F16 && format != WeightFormat.BF16) {
            throw new IllegalArgumentException("not a dense format: " + format);
        }
        this.data = data;
        this.format = format;
        this.table = table;
        Shape s = data.getShape();
        this.shape = format == WeightFormat.BF16 ? s.slice(0, s.dimension() - 1) : s;
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
        return data.getShape().size() * data.getDataType().getNumOfBytes();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray widen(NDManager manager) {
        return switch (format) {
            case F32 -> data;
            case F16 -> Widening.into(manager, () -> data.toType(DataType.FLOAT32, true));
            default -> Widening.into(manager, () -> table.widen(data));
        };
    }

    /** {@inheritDoc} */
    @Override
    public float[] toFloats() {
        if (format == WeightFormat.F32) {
            return data.toFloatArray();
        }
        try (NDManager m = data.getManager().newSubManager()) {
            return widen(m).toFloatArray();
        }
    }

    /**
     * Returns the stored array (float32, float16, or the bytes of the bfloat16 bit patterns).
     *
     * @return the array
     */
    public NDArray stored() {
        return data;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        data.close();
    }
}
