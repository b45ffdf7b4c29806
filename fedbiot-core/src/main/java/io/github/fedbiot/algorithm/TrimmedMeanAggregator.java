/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/**
 * Coordinate-wise trimmed mean: per coordinate, drop the {@code floor(beta * n)} largest and as many smallest
 * client values and average the rest, unweighted (Flower's {@code FedTrimmedAvg}, which cuts as
 * {@code scipy.stats.trim_mean} does). It tolerates up to {@code floor(beta * n)} arbitrary clients.
 *
 * @see <a href="https://arxiv.org/abs/1803.01498">Yin et al., Byzantine-Robust Distributed Learning: Towards
 *     Optimal Statistical Rates (2018)</a>
 */
public final class TrimmedMeanAggregator implements Aggregator {
    private final double beta;

    /**
     * Creates the aggregator.
     *
     * @param beta the share of clients dropped at each end, in (0, 0.5)
     * @throws IllegalArgumentException if beta is outside (0, 0.5)
     */
    public TrimmedMeanAggregator(double beta) {
        if (!(beta > 0 && beta < 0.5)) {
            throw new IllegalArgumentException("trim fraction must be in (0, 0.5), got " + beta);
        }
        this.beta = beta;
    }

    /** {@inheritDoc} */
    @Override
    public NamedTensors aggregate(NamedTensors current, List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            return current;
        }
        int n = updates.size();
        int cut = (int) Math.floor(beta * n);
        return CoordinateWise.reduceSorted(current, updates, sorted -> CoordinateWise.mean(sorted, cut, n - cut));
    }
}
