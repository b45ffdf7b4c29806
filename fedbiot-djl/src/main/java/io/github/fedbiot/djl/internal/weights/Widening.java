/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a widening computation whose operands are stored arrays: DJL puts results in the first operand's
 * manager, which here is the weights' base manager, so the intermediates are freed by a scope of their own and
 * the result is moved into the pass's manager (and the pass's scope).
 */
final class Widening {
    private Widening() {}

    static NDArray into(NDManager manager, Supplier<NDArray> compute) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            out = compute.get();
            NDScope.unregister(out);
        }
        out.attach(manager);
        NDScope.register(out);
        return out;
    }
}
