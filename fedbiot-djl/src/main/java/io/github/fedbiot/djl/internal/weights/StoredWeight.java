/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.engine.WeightFormat;

/**
 * One frozen weight in native memory, in the engine's layout ({@code [out, in]} for projections). A compressed
 * weight is widened to float32 when a pass needs it, into the pass's manager; a float32 weight is its own
 * widened form and must not be closed by the pass.
 */
public interface StoredWeight extends AutoCloseable {

    /**
     * Returns the shape of the widened array.
     *
     * @return the shape
     */
    Shape shape();

    /**
     * Returns how the weight is held ({@link WeightFormat#F32}, {@code F16}, {@code BF16}, {@code Q8_0},
     * {@code Q4_0} or {@code Q4_1}; never {@code AS_STORED}).
     *
     * @return the format
     */
    WeightFormat format();

    /**
     * Returns the native bytes the weight occupies.
     *
     * @return the size
     */
    long bytes();

    /**
     * Returns the weight as float32. For a compressed weight this is a new array owned by {@code manager} (and
     * registered with the current {@link ai.djl.ndarray.NDScope}); for a float32 weight it is the stored array.
     *
     * @param manager the manager that receives a new array
     * @return the float32 values in {@link #shape()}
     */
    NDArray widen(NDManager manager);

    /**
     * Returns whether {@link #widen} makes a new array (the weight is not held as float32).
     *
     * @return true unless the format is F32
     */
    default boolean isCompressed() {
        return format() != WeightFormat.F32;
    }

    /**
     * Copies the widened values to the heap, row-major.
     *
     * @return the values
     */
    float[] toFloats();

    /** Frees the native arrays. */
    @Override
    void close();
}
