/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.algorithm.UpdateTransform;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.HashMap;
import java.util.Map;

/**
 * The client side of {@link ClientLevelDp}: clips the update to the round's C around the broadcast adapter (as
 * Flower's {@code fixedclipping_mod} / {@code adaptiveclipping_mod}), reports {@code norm_bit}, and for local
 * DP adds {@code N(0, (z C)^2)} to every element before the update leaves the client.
 */
final class ClientSidePrivacy implements UpdateTransform {
    private final ClientLevelDp dp;

    ClientSidePrivacy(ClientLevelDp dp) {
        this.dp = dp;
    }

    /** {@inheritDoc} */
    @Override
    public ClientUpdate apply(RoundMessage message, ClientUpdate update) {
        double c = dp.clippingNorm();
        UpdateClipping.Clipped k = UpdateClipping.clip(update.adapterLora(), message.adapterLora(), c);
        NamedTensors out = k.clipped();
        if (!dp.config().central()) {
            out = ClientLevelDp.noise(dp.clientRandom(update.clientId(), message.round()))
                    .addTo(out, dp.config().noiseMultiplier() * c);
        }
        Map<String, Double> metrics = new HashMap<>(update.metrics());
        metrics.put(ClientLevelDp.NORM_BIT, k.wasClipped() ? 1.0 : 0.0);
        return new ClientUpdate(update.clientId(), update.samples(), out, metrics);
    }
}
