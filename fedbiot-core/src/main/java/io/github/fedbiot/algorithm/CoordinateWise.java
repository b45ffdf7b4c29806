/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Applies a reduction to the sorted client values of every coordinate of the adapter LoRA. */
final class CoordinateWise {
    private CoordinateWise() {}

    /**
     * Reduces each coordinate over the updates.
     *
     * @param current the global adapter LoRA (its names, shapes and order are the result's)
     * @param updates at least one validated update
     * @param sortedReducer maps the ascending values of one coordinate (one per update) to the result's value;
     *     it may reorder the array
     * @return the reduced tensors in the order of {@code current}
     */
    static NamedTensors reduceSorted(NamedTensors current, List<ClientUpdate> updates,
            ToDoubleFunction<double[]> sortedReducer) {
        int n = updates.size();
        double[] column = new double[n];
        NamedTensors.Builder out = NamedTensors.builder();
        for (var e : current.asMap().entrySet()) {
            float[][] values = new float[n][];
            for (int i = 0; i < n; i++) {
                values[i] = updates.get(i).adapterLora().get(e.getKey()).data();
            }
            float[] reduced = new float[e.getValue().numel()];
            for (int j = 0; j < reduced.length; j++) {
                for (int i = 0; i < n; i++) {
                    column[i] = values[i][j];
                }
                Arrays.sort(column);
                reduced[j] = (float) sortedReducer.applyAsDouble(column);
            }
            out.add(e.getKey(), new Tensor(e.getValue().shape(), reduced));
        }
        return out.build();
    }

    /**
     * Returns the mean of {@code sorted[from, to)}.
     *
     * @param sorted the values
     * @param from first index, inclusive
     * @param to last index, exclusive, > from
     * @return the mean, accumulated in double
     */
    static double mean(double[] sorted, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += sorted[i];
        }
        return sum / (to - from);
    }
}
