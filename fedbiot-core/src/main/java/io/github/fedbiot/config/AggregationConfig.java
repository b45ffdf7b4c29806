/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import io.github.fedbiot.ConfigException;
import java.util.Objects;

/**
 * The server's aggregation rule: {@code server.aggregator} and the one parameter its kind takes
 * ({@code server.trim_fraction} for {@code trimmed_mean}, {@code server.norm_bound} for {@code norm_bound}).
 * A parameter is 0 for the kinds that do not take it.
 *
 * @param kind the rule
 * @param trimFraction beta of {@code trimmed_mean}: the share of clients dropped at each end, in (0, 0.5)
 * @param normBound the L2 bound of one client's update under {@code norm_bound}, > 0
 */
public record AggregationConfig(AggregatorKind kind, double trimFraction, double normBound) {

    /** FedAvg, the default. */
    public static final AggregationConfig FEDAVG = new AggregationConfig(AggregatorKind.FEDAVG, 0, 0);

    /** Flower's {@code FedTrimmedAvg} default beta, taken when {@code trim_fraction} is not given. */
    public static final double DEFAULT_TRIM_FRACTION = 0.2;

    /** Validates the parameter of the kind and requires the other to be 0. */
    public AggregationConfig {
        Objects.requireNonNull(kind, "kind");
        if (kind == AggregatorKind.TRIMMED_MEAN) {
            ConfigException.require(trimFraction > 0 && trimFraction < 0.5, "server.trim_fraction", trimFraction,
                    "must be in (0, 0.5)");
        } else {
            ConfigException.require(trimFraction == 0, "server.trim_fraction", trimFraction,
                    "applies only to server.aggregator: trimmed_mean, not " + kind);
        }
        if (kind == AggregatorKind.NORM_BOUND) {
            ConfigException.require(normBound > 0 && Double.isFinite(normBound), "server.norm_bound", normBound,
                    "must be a finite number > 0 (server.aggregator: norm_bound has no default bound)");
        } else {
            ConfigException.require(normBound == 0, "server.norm_bound", normBound,
                    "applies only to server.aggregator: norm_bound, not " + kind);
        }
    }

    /**
     * Builds the rule from the keys of a file: a parameter given for a kind that does not take it is an error.
     *
     * @param kind {@code server.aggregator}, null for FedAvg
     * @param trimFraction {@code server.trim_fraction}, null for the default (trimmed mean only)
     * @param normBound {@code server.norm_bound}, null when absent (required by norm_bound)
     * @return the rule
     * @throws ConfigException naming the key at fault
     */
    public static AggregationConfig of(AggregatorKind kind, Double trimFraction, Double normBound) {
        AggregatorKind k = kind == null ? AggregatorKind.FEDAVG : kind;
        if (k == AggregatorKind.NORM_BOUND && normBound == null) {
            throw new ConfigException("server.norm_bound", "is required with server.aggregator: norm_bound");
        }
        if (k != AggregatorKind.TRIMMED_MEAN && trimFraction != null) {
            throw new ConfigException("server.trim_fraction", "applies only to server.aggregator: trimmed_mean, not "
                    + k);
        }
        if (k != AggregatorKind.NORM_BOUND && normBound != null) {
            throw new ConfigException("server.norm_bound", "applies only to server.aggregator: norm_bound, not " + k);
        }
        double beta = k == AggregatorKind.TRIMMED_MEAN ? (trimFraction != null ? trimFraction : DEFAULT_TRIM_FRACTION)
                : 0;
        return new AggregationConfig(k, beta, normBound != null ? normBound : 0);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TRIMMED_MEAN -> kind + "(trim_fraction " + trimFraction + ")";
            case NORM_BOUND -> kind + "(norm_bound " + normBound + ")";
            default -> kind.toString();
        };
    }
}
