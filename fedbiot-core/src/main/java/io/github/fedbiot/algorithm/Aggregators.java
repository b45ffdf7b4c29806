/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.config.AggregationConfig;

/** Builds the {@link Aggregator} a configuration names ({@code server.aggregator}). */
public final class Aggregators {
    private Aggregators() {}

    /**
     * Returns the aggregator of a rule.
     *
     * @param rule the configured rule
     * @return a new aggregator
     */
    public static Aggregator of(AggregationConfig rule) {
        return switch (rule.kind()) {
            case FEDAVG -> new FedAvgAggregator();
            case MEDIAN -> new MedianAggregator();
            case TRIMMED_MEAN -> new TrimmedMeanAggregator(rule.trimFraction());
            case NORM_BOUND -> new NormBoundAggregator(rule.normBound());
        };
    }
}
