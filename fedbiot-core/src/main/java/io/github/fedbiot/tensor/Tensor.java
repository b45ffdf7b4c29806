/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor on the Java heap: a shape and its values in row-major order.
 *
 * <p>Tensors are values: no code in fedbiot mutates {@link #data()} after construction, and callers must
 * not either. The array is not copied on construction so that large tensors cost one allocation.
 *
 * @param shape the dimensions, each &gt;= 0 (an empty shape is a scalar)
 * @param data the values, {@code product(shape)} of them
 */
public record Tensor(int[] shape, float[] data) {

    /** Validates that the data length matches the shape. */
    public Tensor {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
        shape = shape.clone();
    }

    /**
     * Returns a zero tensor of the given shape.
     *
     * @param shape the dimensions
     * @return a new tensor of zeros
     */
    public static Tensor zeros(int... shape) {
        return new Tensor(shape, new float[Math.toIntExact(numel(shape))]);
    }

    /**
     * Returns the number of elements of a shape.
     *
     * @param shape the dimensions
     * @return their product
     * @throws IllegalArgumentException if a dimension is negative or the product overflows a long
     */
    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has too many elements");
            }
        }
        return n;
    }

    /** Returns a copy of the shape. @return the dimensions */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Returns the number of elements. @return the element count */
    public int numel() {
        return data.length;
    }

    /**
     * Returns the size of dimension {@code i}.
     *
     * @param i the dimension index
     * @return its size
     */
    public int dim(int i) {
        return shape[i];
    }

    /** Returns the number of dimensions. @return the rank */
    public int rank() {
        return shape.length;
    }

    /**
     * Returns whether this tensor has the same shape as {@code other}.
     *
     * @param other another tensor
     * @return true if the shapes are equal
     */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * Returns whether {@code shape} equals this tensor's shape.
     *
     * @param dims the shape to compare with
     * @return true if equal
     */
    public boolean hasShape(int... dims) {
        return Arrays.equals(shape, dims);
    }

    /** Returns whether every value is finite (no NaN, no infinity). @return true if all finite */
    public boolean isFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Returns the sum of squares of the values, accumulated in double. @return the squared L2 norm */
    public double squaredNorm() {
        double s = 0;
        for (float v : data) {
            s += (double) v * v;
        }
        return s;
    }

    /**
     * Returns the largest absolute difference to another tensor of the same shape.
     *
     * @param other a tensor of the same shape
     * @return {@code max |this - other|}
     */
    public double maxAbsDiff(Tensor other) {
        requireSameShape(other);
        double m = 0;
        for (int i = 0; i < data.length; i++) {
            m = Math.max(m, Math.abs((double) data[i] - other.data[i]));
        }
        return m;
    }

    /**
     * Returns whether the values are bit-identical to another tensor's.
     *
     * @param other another tensor
     * @return true if shapes and all values are identical
     */
    public boolean contentEquals(Tensor other) {
        return sameShape(other) && Arrays.equals(data, other.data);
    }

    private void requireSameShape(Tensor other) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException(
                    "shape mismatch: " + Arrays.toString(shape) + " vs " + Arrays.toString(other.shape));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && contentEquals(t);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
