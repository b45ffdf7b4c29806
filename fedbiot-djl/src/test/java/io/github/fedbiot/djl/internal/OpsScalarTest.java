/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * Arrays made from heap values live in PyTorch's memory: scalars of the autograd graph survive a garbage
 * collection between the forward and backward pass, and large arrays are copied exactly, slice by slice.
 */
class OpsScalarTest {

    @Test
    void largeArraysAreCopiedSliceBySlice() {
        int rows = 4099; // more than 4 MiB of floats, rows not a multiple of the slice
        int cols = 577;
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 7f;
        }
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray a = Ops.owned(m, values, new Shape(rows, cols));
            assertThat(a.getShape()).isEqualTo(new Shape(rows, cols));
            assertThat(a.toFloatArray()).isEqualTo(values);
        }
    }

    @Test
    void scalarKeptByAutogradSurvivesGarbageCollection() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray x = m.ones(new Shape(1024));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = x.mul(Ops.scalar(x, 3f)).sum();
                assertThat(FreedDirectMemory.collectAndReuse(2000)).isEqualTo(2000L * 64);
                gc.backward(y);
            }
            float[] grad = x.getGradient().toFloatArray();
            for (float g : grad) {
                assertThat(g).isEqualTo(3f);
            }
        }
    }
}
