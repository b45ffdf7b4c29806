/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.github.fedbiot.ConfigException;
import java.util.Arrays;

/** How the server combines the round's accepted client updates ({@code server.aggregator}). */
public enum AggregatorKind {
    /** FedAvg: the mean weighted by each client's example count. */
    FEDAVG("fedavg"),
    /** The coordinate-wise median of the clients' adapters, unweighted (Flower's {@code FedMedian}). */
    MEDIAN("median"),
    /**
     * Per coordinate, the mean after dropping the {@code server.trim_fraction} largest and smallest values,
     * unweighted (Flower's {@code FedTrimmedAvg}).
     */
    TRIMMED_MEAN("trimmed_mean"),
    /**
     * Each client's update (its adapter minus the broadcast) is scaled down to L2 norm at most
     * {@code server.norm_bound}, then the updates are averaged as FedAvg does.
     */
    NORM_BOUND("norm_bound");

    private final String id;

    AggregatorKind(String id) {
        this.id = id;
    }

    /** Returns the name used in configuration files. @return the id */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * Parses an aggregator name.
     *
     * @param s the name, e.g. {@code median}
     * @return the kind
     * @throws ConfigException naming {@code server.aggregator} if the name is unknown
     */
    @JsonCreator
    public static AggregatorKind parse(String s) {
        for (AggregatorKind k : values()) {
            if (k.id.equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new ConfigException("server.aggregator", "unknown aggregator '" + s + "' (valid: "
                + Arrays.stream(values()).map(AggregatorKind::id).toList() + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
