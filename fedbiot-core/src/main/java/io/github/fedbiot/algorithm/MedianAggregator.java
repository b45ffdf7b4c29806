/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/**
 * Coordinate-wise median of the clients' adapter LoRA (the mean of the two middle values for an even count),
 * unweighted, as Flower's {@code FedMedian}. With n clients it tolerates up to {@code ceil(n/2) - 1} arbitrary
 * ones: every coordinate stays between the smallest and the largest honest value.
 *
 * @see <a href="https://arxiv.org/abs/1803.01498">Yin et al., Byzantine-Robust Distributed Learning: Towards
 *     Optimal Statistical Rates (2018)</a>
 */
public final class MedianAggregator implements Aggregator {

    /** {@inheritDoc} */
    @Override
    public NamedTensors aggregate(NamedTensors current, List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            return current;
        }
        return CoordinateWise.reduceSorted(current, updates, sorted -> {
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        });
    }
}
