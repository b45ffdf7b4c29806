/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import io.github.fedbiot.algorithm.Aggregator;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of {@link ClientLevelDp}: clips each update to C around the current adapter (the clients'
 * already-noised updates of local DP excepted), gives every update the same weight, averages with the inner
 * aggregator, scales the step to the fixed denominator m (so a dropped client lowers the sum, never raises one
 * client's share), adds the central noise and adapts C.
 */
final class DpAggregator implements Aggregator {
    private final Aggregator inner;
    private final ClientLevelDp dp;

    DpAggregator(Aggregator inner, ClientLevelDp dp) {
        this.inner = inner;
        this.dp = dp;
    }

    /** {@inheritDoc} */
    @Override
    public NamedTensors aggregate(NamedTensors current, List<ClientUpdate> updates) {
        double c = dp.clippingNorm();
        boolean clientNoised = !dp.config().central();
        List<ClientUpdate> equal = new ArrayList<>(updates.size());
        int clipped = 0;
        for (ClientUpdate u : updates) {
            NamedTensors lora = u.adapterLora();
            boolean bit;
            if (clientNoised) {
                bit = u.metric(ClientLevelDp.NORM_BIT) > 0;
            } else {
                UpdateClipping.Clipped k = UpdateClipping.clip(lora, current, c);
                lora = k.clipped();
                double reported = u.metric(ClientLevelDp.NORM_BIT);
                // a client that clipped reports it; the server's re-clip of its update changes nothing
                bit = Double.isNaN(reported) ? k.wasClipped() : reported > 0;
            }
            clipped += bit ? 1 : 0;
            equal.add(new ClientUpdate(u.clientId(), 1, lora, u.metrics()));
        }
        int m = dp.sampledPerRound();
        double stddev = dp.config().central() ? dp.updateNoiseMultiplier() * c / m : 0;
        NamedTensors out = current;
        if (!equal.isEmpty()) {
            NamedTensors mean = inner.aggregate(current, equal);
            double share = Math.min(1.0, (double) equal.size() / m);
            out = NamedTensors.weightedSum(List.of(current, mean), new double[] {1 - share, share});
        }
        // the noise is added whether or not anyone answered: an empty round must look like any other
        out = ClientLevelDp.noise(dp.serverRandom()).addTo(out, stddev);
        dp.recordAggregation(current.numel(), c, clientNoised ? dp.updateNoiseMultiplier() * c : stddev, clipped);
        dp.adaptClippingNorm(clipped, equal.size());
        return out;
    }
}
