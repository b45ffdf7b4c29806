/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Norm bounding: each client's update {@code d_i = W_i - W} (its adapter LoRA minus the round's broadcast, all
 * tensors together) is scaled to L2 norm at most B, then averaged as FedAvg does:
 * {@code W' = W + sum_i (n_i / sum_j n_j) * min(1, B / ||d_i||) * d_i}. One client can move the aggregate by at
 * most its weight times B; it does not stop many small coordinated updates.
 *
 * @see <a href="https://arxiv.org/abs/1911.07963">Sun et al., Can You Really Backdoor Federated Learning? (2019)</a>
 */
public final class NormBoundAggregator implements Aggregator {
    private static final Logger logger = LoggerFactory.getLogger(NormBoundAggregator.class);

    private final double bound;

    /**
     * Creates the aggregator.
     *
     * @param bound B, the largest L2 norm of one client's update, finite and > 0
     * @throws IllegalArgumentException if the bound is not finite and positive
     */
    public NormBoundAggregator(double bound) {
        if (!(bound > 0 && Double.isFinite(bound))) {
            throw new IllegalArgumentException("norm bound must be finite and > 0, got " + bound);
        }
        this.bound = bound;
    }

    /** {@inheritDoc} */
    @Override
    public NamedTensors aggregate(NamedTensors current, List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            return current;
        }
        double[] shares = FedAvgAggregator.exampleShares(updates);
        // W' = (1 - sum a_i) W + sum a_i W_i with a_i = weight_i * scale_i: one weighted sum, in double.
        List<NamedTensors> items = new ArrayList<>();
        double[] weights = new double[updates.size() + 1];
        items.add(current);
        double kept = 1;
        int clipped = 0;
        for (int i = 0; i < updates.size(); i++) {
            ClientUpdate u = updates.get(i);
            double norm = updateNorm(current, u.adapterLora());
            double scale = norm > bound ? bound / norm : 1;
            if (norm > bound) {
                clipped++;
                logger.debug("update of {} has norm {}, scaled to {}", u.clientId(), norm, bound);
            }
            double a = shares[i] * scale;
            items.add(u.adapterLora());
            weights[i + 1] = a;
            kept -= a;
        }
        weights[0] = kept;
        if (clipped > 0) {
            logger.info("norm bound {}: scaled down {} of {} updates", bound, clipped, updates.size());
        }
        return NamedTensors.weightedSum(items, weights);
    }

    /**
     * Returns the L2 norm of {@code update - current} over all tensors.
     *
     * @param current the broadcast
     * @param update a client's adapter LoRA with the same layout
     * @return the norm
     */
    static double updateNorm(NamedTensors current, NamedTensors update) {
        double sq = 0;
        for (var e : current.asMap().entrySet()) {
            float[] c = e.getValue().data();
            Tensor t = update.get(e.getKey());
            float[] x = t.data();
            for (int j = 0; j < c.length; j++) {
                double d = (double) x[j] - c[j];
                sq += d * d;
            }
        }
        return Math.sqrt(sq);
    }
}
