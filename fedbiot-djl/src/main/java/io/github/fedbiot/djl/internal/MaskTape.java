/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;

/**
 * The LoRA dropout masks one layer drew in a forward pass without a graph, in drawing order, replayed when
 * the layer is recomputed for the backward pass (see {@link LayerCheckpoints}). Recorded masks leave the
 * layer's scope; their owner closes them.
 */
public final class MaskTape implements AutoCloseable {
    private final List<NDArray> masks = new ArrayList<>();
    private int next = -1;

    void record(NDArray mask) {
        NDScope.unregister(mask);
        masks.add(mask);
    }

    boolean replaying() {
        return next >= 0;
    }

    NDArray next() {
        if (next >= masks.size()) {
            throw new IllegalStateException("the recomputed layer drew more dropout masks than its forward pass");
        }
        return masks.get(next++);
    }

    /** Hands the recorded masks to the current scope (the micro-batch's), which frees them when it ends. */
    void adoptIntoCurrentScope() {
        masks.forEach(NDScope::register);
    }

    /** Switches from recording to replaying from the first mask. */
    void rewind() {
        next = 0;
    }

    /** Closes the recorded masks. */
    @Override
    public void close() {
        masks.forEach(NDArray::close);
        masks.clear();
    }
}
