/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import java.util.Map;
import java.util.Objects;

/**
 * What a client sends back after a round: its trained adapter LoRA and how many examples it processed (the
 * FedAvg weight). The same type travels in-process and over Flower; the server validates it with
 * {@link UpdateValidator} before it can reach the global model.
 *
 * @param clientId the client's id
 * @param samples examples processed this round (micro-batches skipped for a non-finite loss excluded)
 * @param adapterLora the trained adapter LoRA
 * @param metrics training statistics, e.g. {@code train_loss}, {@code proximal}, {@code skipped_batches}
 */
public record ClientUpdate(String clientId, int samples, NamedTensors adapterLora, Map<String, Double> metrics) {

    /** Metric key: mean cross-entropy over the used micro-batches. */
    public static final String TRAIN_LOSS = "train_loss";
    /** Metric key: mean proximal term. */
    public static final String PROXIMAL = "proximal";
    /** Metric key: micro-batches skipped because their loss was not finite. */
    public static final String SKIPPED_BATCHES = "skipped_batches";
    /** Metric key: optimizer steps taken. */
    public static final String STEPS = "steps";

    /** Copies the metrics and rejects missing parts. */
    public ClientUpdate {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(adapterLora, "adapterLora");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /**
     * Returns a metric.
     *
     * @param key the metric key
     * @return its value, or NaN when absent
     */
    public double metric(String key) {
        return metrics.getOrDefault(key, Double.NaN);
    }
}
