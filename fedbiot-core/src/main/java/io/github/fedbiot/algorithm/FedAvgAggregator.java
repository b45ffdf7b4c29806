/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/**
 * FedAvg: {@code W = sum_i (n_i / sum_j n_j) W_i}, element-wise over every LoRA tensor (A and B averaged
 * separately, as the reference code does), where {@code n_i} is the number of examples client i processed this
 * round. Accumulates in double precision.
 *
 * @see <a href="https://arxiv.org/abs/1602.05629">McMahan et al., Communication-Efficient Learning of Deep
 *     Networks from Decentralized Data (2017)</a>
 */
public final class FedAvgAggregator implements Aggregator {

    /** {@inheritDoc} */
    @Override
    public NamedTensors aggregate(NamedTensors current, List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            return current;
        }
        double[] weights = exampleShares(updates);
        NamedTensors sum = NamedTensors.weightedSum(updates.stream().map(ClientUpdate::adapterLora).toList(), weights);
        // Keep the global model's tensor order whatever order the first update used.
        NamedTensors.Builder ordered = NamedTensors.builder();
        for (String name : current.names()) {
            ordered.add(name, sum.get(name));
        }
        return ordered.build();
    }

    /**
     * Returns each update's share of the round's examples, {@code n_i / sum_j n_j}.
     *
     * @param updates at least one update
     * @return the shares, summing to 1
     */
    static double[] exampleShares(List<ClientUpdate> updates) {
        double total = 0;
        for (ClientUpdate u : updates) {
            total += u.samples();
        }
        double[] shares = new double[updates.size()];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = updates.get(i).samples() / total;
        }
        return shares;
    }
}
