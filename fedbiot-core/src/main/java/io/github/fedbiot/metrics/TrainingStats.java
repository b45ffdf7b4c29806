/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

/**
 * What the clients' local training of a round amounted to.
 *
 * @param samples examples behind the aggregated updates
 * @param loss mean client cross-entropy of the aggregated updates, weighted by samples (NaN: none)
 * @param proximal mean client proximal term of the aggregated updates, weighted by samples (NaN: none)
 * @param skippedBatches client micro-batches skipped for a non-finite loss (all updates that arrived)
 */
public record TrainingStats(long samples, double loss, double proximal, int skippedBatches) {
    /** No client trained. */
    public static final TrainingStats NONE = new TrainingStats(0, Double.NaN, Double.NaN, 0);
}
