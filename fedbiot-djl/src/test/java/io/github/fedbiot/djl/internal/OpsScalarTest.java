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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scalars of the autograd graph survive a garbage collection between the forward and backward pass. */
class OpsScalarTest {

    @Test
    void scalarKeptByAutogradSurvivesGarbageCollection() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray x = m.ones(new Shape(1024));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = x.mul(Ops.scalar(x, 3f)).sum();
                collectAndOverwriteFreedDirectMemory();
                gc.backward(y);
            }
            float[] grad = x.getGradient().toFloatArray();
            for (float g : grad) {
                assertThat(g).isEqualTo(3f);
            }
        }
    }

    /** Frees unreachable direct buffers and reuses their memory with other bytes, as a busy JVM would. */
    static void collectAndOverwriteFreedDirectMemory() {
        System.gc();
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            while (b.hasRemaining()) {
                b.put((byte) 0x7f); // 0x7f7f7f7f is a float of about 3.4e38
            }
            junk.add(b);
        }
        assertThat(junk).hasSize(2000);
    }
}
