/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.ConfigException;

/**
 * The rounds and who takes part in them.
 *
 * @param rounds the number of rounds R
 * @param sampleFraction share of clients sampled each round (used when {@code sampleCount} is 0)
 * @param sampleCount clients sampled each round (0: use {@code sampleFraction})
 * @param dropoutProbability probability that a sampled client drops out of a round (never answers)
 * @param deadlineSeconds a client whose local training takes longer is treated as timed out (0: no deadline)
 */
public record FederationConfig(int rounds, double sampleFraction, int sampleCount, double dropoutProbability,
        double deadlineSeconds) {

    /** Defaults: 10 rounds, every client every round, no dropout, no deadline. */
    public static final FederationConfig DEFAULT = new FederationConfig(10, 1.0, 0, 0.0, 0.0);

    /** Validates the values. */
    public FederationConfig {
        ConfigException.require(rounds >= 1, "federation.rounds", rounds, "must be >= 1");
        ConfigException.require(sampleFraction > 0 && sampleFraction <= 1, "federation.sample_fraction",
                sampleFraction, "must be in (0, 1]");
        ConfigException.require(sampleCount >= 0, "federation.sample_count", sampleCount, "must be >= 0");
        ConfigException.require(dropoutProbability >= 0 && dropoutProbability < 1, "federation.dropout_probability",
                dropoutProbability, "must be in [0, 1)");
        ConfigException.require(deadlineSeconds >= 0 && Double.isFinite(deadlineSeconds),
                "federation.deadline_seconds", deadlineSeconds, "must be >= 0");
    }

    /**
     * Returns a copy with another round count.
     *
     * @param r the rounds
     * @return the new section
     */
    public FederationConfig withRounds(int r) {
        return new FederationConfig(r, sampleFraction, sampleCount, dropoutProbability, deadlineSeconds);
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param rounds {@code federation.rounds}
     * @param sampleFraction {@code federation.sample_fraction}
     * @param sampleCount {@code federation.sample_count}
     * @param dropoutProbability {@code federation.dropout_probability}
     * @param deadlineSeconds {@code federation.deadline_seconds}
     * @return the section
     */
    @JsonCreator
    static FederationConfig fromJson(@JsonProperty("rounds") Integer rounds,
            @JsonProperty("sample_fraction") Double sampleFraction, @JsonProperty("sample_count") Integer sampleCount,
            @JsonProperty("dropout_probability") Double dropoutProbability,
            @JsonProperty("deadline_seconds") Double deadlineSeconds) {
        FederationConfig d = DEFAULT;
        return new FederationConfig(rounds != null ? rounds : d.rounds,
                sampleFraction != null ? sampleFraction : d.sampleFraction,
                sampleCount != null ? sampleCount : d.sampleCount,
                dropoutProbability != null ? dropoutProbability : d.dropoutProbability,
                deadlineSeconds != null ? deadlineSeconds : d.deadlineSeconds);
    }
}
