/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * Checks a client update before aggregation: a known client id (when a set of ids is given), a positive sample
 * count, exactly the expected tensor names (no unknown, none missing), the expected shapes and only finite
 * values. A rejected update never reaches the {@link Aggregator}.
 */
public final class UpdateValidator {
    private final Set<String> knownClients;
    private final int maxSamples;

    /**
     * Creates a validator.
     *
     * @param knownClients the ids allowed to send updates (empty: any id)
     * @param maxSamples the largest plausible sample count of one round (protects the FedAvg weights)
     */
    public UpdateValidator(Set<String> knownClients, int maxSamples) {
        this.knownClients = Set.copyOf(knownClients);
        if (maxSamples < 1) {
            throw new IllegalArgumentException("max samples must be >= 1 (found " + maxSamples + ")");
        }
        this.maxSamples = maxSamples;
    }

    /**
     * Validates an update against the layout of the global adapter LoRA.
     *
     * @param update the update
     * @param expected the global adapter LoRA (names and shapes the update must have)
     * @throws InvalidUpdateException naming the client and the first problem found
     */
    public void validate(ClientUpdate update, NamedTensors expected) {
        String id = update.clientId();
        if (!knownClients.isEmpty() && !knownClients.contains(id)) {
            throw new InvalidUpdateException(id, "unknown client id");
        }
        if (update.samples() <= 0 || update.samples() > maxSamples) {
            throw new InvalidUpdateException(id, "sample count " + update.samples() + " is outside [1, " + maxSamples
                    + "]");
        }
        NamedTensors got = update.adapterLora();
        for (String name : got.names()) {
            if (!expected.contains(name)) {
                throw new InvalidUpdateException(id, "unknown tensor '" + name + "'");
            }
        }
        for (var e : expected.asMap().entrySet()) {
            if (!got.contains(e.getKey())) {
                throw new InvalidUpdateException(id, "missing tensor '" + e.getKey() + "'");
            }
            Tensor t = got.get(e.getKey());
            if (!t.sameShape(e.getValue())) {
                throw new InvalidUpdateException(id, "tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(e.getValue().shape()));
            }
            if (!t.isFinite()) {
                throw new InvalidUpdateException(id, "tensor '" + e.getKey() + "' holds NaN or infinite values");
            }
        }
    }
}
