/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.ConfigException;

/**
 * A client's local training.
 *
 * @param localSteps optimizer steps per round
 * @param batchSize examples per micro-batch
 * @param gradAccum micro-batches accumulated per optimizer step
 * @param proximalWeight mu, the weight of {@code ||merged(A) - merged(A_round_start)||^2}, or null when the
 *     configuration does not set it: then {@link #proximalWeightFor} gives FedBiOT its default and the
 *     baselines none
 * @param proximalGradient false reproduces the reference code, whose proximal term has no gradient
 */
public record ClientConfig(int localSteps, int batchSize, int gradAccum, Double proximalWeight,
        boolean proximalGradient) {

    /** mu of FedBiOT when {@code client.proximal_weight} is not set (FedBiOT's {@code lm_loss_weight}). */
    public static final double FEDBIOT_PROXIMAL_WEIGHT = 1.0;

    /**
     * Defaults of FedBiOT's LLaMA-2 configurations: 30 steps of 2 micro-batches of 5 examples, mu not set
     * (1.0 for FedBiOT, 0 for the baselines), with the proximal gradient the reference code lacks.
     */
    public static final ClientConfig DEFAULT = new ClientConfig(30, 5, 2, null, true);

    /** Validates the values. */
    public ClientConfig {
        ConfigException.require(localSteps >= 1, "client.local_steps", localSteps, "must be >= 1");
        ConfigException.require(batchSize >= 1, "client.batch_size", batchSize, "must be >= 1");
        ConfigException.require(gradAccum >= 1, "client.grad_accum", gradAccum, "must be >= 1");
        ConfigException.require(proximalWeight == null || (proximalWeight >= 0 && Double.isFinite(proximalWeight)),
                "client.proximal_weight", proximalWeight, "must be >= 0");
    }

    /**
     * Returns the mu an algorithm trains with: the configured value when {@code client.proximal_weight} is set
     * (for every algorithm), else {@link #FEDBIOT_PROXIMAL_WEIGHT} for FedBiOT and 0 (plain cross-entropy, as
     * the reference baselines train) for FedOT, Offsite-Tuning and FedAvg on the full model.
     *
     * @param algorithm the algorithm
     * @return mu, >= 0
     */
    public double proximalWeightFor(Algorithm algorithm) {
        if (proximalWeight != null) {
            return proximalWeight;
        }
        return algorithm == Algorithm.FEDBIOT ? FEDBIOT_PROXIMAL_WEIGHT : 0.0;
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param localSteps {@code client.local_steps}
     * @param batchSize {@code client.batch_size}
     * @param gradAccum {@code client.grad_accum}
     * @param proximalWeight {@code client.proximal_weight} (null: not set)
     * @param proximalGradient {@code client.proximal_gradient}
     * @return the section
     */
    @JsonCreator
    static ClientConfig fromJson(@JsonProperty("local_steps") Integer localSteps,
            @JsonProperty("batch_size") Integer batchSize, @JsonProperty("grad_accum") Integer gradAccum,
            @JsonProperty("proximal_weight") Double proximalWeight,
            @JsonProperty("proximal_gradient") Boolean proximalGradient) {
        ClientConfig d = DEFAULT;
        return new ClientConfig(localSteps != null ? localSteps : d.localSteps,
                batchSize != null ? batchSize : d.batchSize, gradAccum != null ? gradAccum : d.gradAccum,
                proximalWeight,
                proximalGradient != null ? proximalGradient : d.proximalGradient);
    }
}
