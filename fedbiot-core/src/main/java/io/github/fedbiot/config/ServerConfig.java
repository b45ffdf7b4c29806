/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.ConfigException;

/**
 * The server's emulator alignment on public data.
 *
 * @param alignSteps E, optimizer steps of alignment after each round's aggregation
 * @param preAlignRounds R0: before round 1 the server aligns for {@code R0 * E} steps
 * @param klWeight lambda, the weight of {@code KL(full model with adapter || compressed model with adapter)}
 * @param batchSize examples per micro-batch of public data
 * @param gradAccum micro-batches accumulated per alignment step
 * @param fedotDistill FedOT only: distill the emulator once ({@code R0 * E} steps) before round 1 instead of
 *     using plain layer drop
 * @param preAlignFreshOptimizer true (the reference code's way): pre-alignment runs as R0 blocks of E steps,
 *     each with a fresh AdamW state; false: one AdamW state over all {@code R0 * E} steps
 */
public record ServerConfig(int alignSteps, int preAlignRounds, double klWeight, int batchSize, int gradAccum,
        boolean fedotDistill, boolean preAlignFreshOptimizer) {

    /**
     * Defaults: E = 10, R0 = 50 (the reference code's), lambda = 0.9 (the reference code's default; the
     * LLaMA-2 configurations used 0, which makes the server's problem independent of the adapter), 2 x 5
     * examples per step, pre-alignment in R0 blocks with a fresh optimizer each.
     */
    public static final ServerConfig DEFAULT = new ServerConfig(10, 50, 0.9, 5, 2, false, true);

    /**
     * Creates the section with pre-alignment in R0 blocks of E steps, each with a fresh optimizer.
     *
     * @param alignSteps E
     * @param preAlignRounds R0
     * @param klWeight lambda
     * @param batchSize examples per micro-batch
     * @param gradAccum micro-batches per step
     * @param fedotDistill FedOT only: distill the emulator once
     */
    public ServerConfig(int alignSteps, int preAlignRounds, double klWeight, int batchSize, int gradAccum,
            boolean fedotDistill) {
        this(alignSteps, preAlignRounds, klWeight, batchSize, gradAccum, fedotDistill, true);
    }

    /** Validates the values. */
    public ServerConfig {
        ConfigException.require(alignSteps >= 0, "server.align_steps", alignSteps, "must be >= 0");
        ConfigException.require(preAlignRounds >= 0, "server.pre_align_rounds", preAlignRounds, "must be >= 0");
        ConfigException.require(klWeight >= 0 && Double.isFinite(klWeight), "server.kl_weight", klWeight,
                "must be >= 0");
        ConfigException.require(batchSize >= 1, "server.batch_size", batchSize, "must be >= 1");
        ConfigException.require(gradAccum >= 1, "server.grad_accum", gradAccum, "must be >= 1");
    }

    /** Returns the number of pre-alignment steps {@code R0 * E}. @return the step count */
    public int preAlignSteps() {
        return Math.multiplyExact(preAlignRounds, alignSteps);
    }

    /**
     * Returns how many pre-alignment steps share one optimizer state: E with
     * {@code pre_align_fresh_optimizer} (the reference code's R0 calls of its server trainer), else all
     * {@code R0 * E}.
     *
     * @return the steps per block, >= 0
     */
    public int preAlignBlockSteps() {
        return preAlignFreshOptimizer ? alignSteps : preAlignSteps();
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param alignSteps {@code server.align_steps}
     * @param preAlignRounds {@code server.pre_align_rounds}
     * @param klWeight {@code server.kl_weight}
     * @param batchSize {@code server.batch_size}
     * @param gradAccum {@code server.grad_accum}
     * @param fedotDistill {@code server.fedot_distill}
     * @param preAlignFreshOptimizer {@code server.pre_align_fresh_optimizer}
     * @return the section
     */
    @JsonCreator
    static ServerConfig fromJson(@JsonProperty("align_steps") Integer alignSteps,
            @JsonProperty("pre_align_rounds") Integer preAlignRounds, @JsonProperty("kl_weight") Double klWeight,
            @JsonProperty("batch_size") Integer batchSize, @JsonProperty("grad_accum") Integer gradAccum,
            @JsonProperty("fedot_distill") Boolean fedotDistill,
            @JsonProperty("pre_align_fresh_optimizer") Boolean preAlignFreshOptimizer) {
        ServerConfig d = DEFAULT;
        return new ServerConfig(alignSteps != null ? alignSteps : d.alignSteps,
                preAlignRounds != null ? preAlignRounds : d.preAlignRounds, klWeight != null ? klWeight : d.klWeight,
                batchSize != null ? batchSize : d.batchSize, gradAccum != null ? gradAccum : d.gradAccum,
                fedotDistill != null ? fedotDistill : d.fedotDistill,
                preAlignFreshOptimizer != null ? preAlignFreshOptimizer : d.preAlignFreshOptimizer);
    }
}
