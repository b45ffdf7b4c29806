/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param aggregation how the round's updates are combined ({@code server.aggregator}, {@code server.trim_fraction},
 *     {@code server.norm_bound})
 */
public record ServerConfig(int alignSteps, int preAlignRounds, double klWeight, int batchSize, int gradAccum,
        boolean fedotDistill, boolean preAlignFreshOptimizer, @JsonIgnore AggregationConfig aggregation) {

    /**
     * Defaults: E = 10, R0 = 50 (the reference code's), lambda = 0.9 (the reference code's default; the
     * LLaMA-2 configurations used 0, which makes the server's problem independent of the adapter), 2 x 5
     * examples per step, pre-alignment in R0 blocks with a fresh optimizer each.
     */
    public static final ServerConfig DEFAULT = new ServerConfig(10, 50, 0.9, 5, 2, false, true,
            AggregationConfig.FEDAVG);

    /**
     * Creates the section with FedAvg aggregation.
     *
     * @param alignSteps E
     * @param preAlignRounds R0
     * @param klWeight lambda
     * @param batchSize examples per micro-batch
     * @param gradAccum micro-batches per step
     * @param fedotDistill FedOT only: distill the emulator once
     * @param preAlignFreshOptimizer whether pre-alignment runs in R0 blocks, each with a fresh optimizer
     */
    public ServerConfig(int alignSteps, int preAlignRounds, double klWeight, int batchSize, int gradAccum,
            boolean fedotDistill, boolean preAlignFreshOptimizer) {
        this(alignSteps, preAlignRounds, klWeight, batchSize, gradAccum, fedotDistill, preAlignFreshOptimizer,
                AggregationConfig.FEDAVG);
    }

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
        ConfigException.require(aggregation != null, "server.aggregator", aggregation, "must be set");
    }

    /**
     * Returns the section with another aggregation rule.
     *
     * @param value the rule
     * @return the new section
     */
    public ServerConfig withAggregation(AggregationConfig value) {
        return new ServerConfig(alignSteps, preAlignRounds, klWeight, batchSize, gradAccum, fedotDistill,
                preAlignFreshOptimizer, value);
    }

    /** Returns {@code server.aggregator} as written to a file. @return the kind */
    @JsonProperty("aggregator")
    AggregatorKind aggregatorKey() {
        return aggregation.kind();
    }

    /** Returns {@code server.trim_fraction} as written to a file: absent unless trimmed mean. @return it or null */
    @JsonProperty("trim_fraction")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Double trimFractionKey() {
        return aggregation.kind() == AggregatorKind.TRIMMED_MEAN ? aggregation.trimFraction() : null;
    }

    /** Returns {@code server.norm_bound} as written to a file: absent unless norm bounding. @return it or null */
    @JsonProperty("norm_bound")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Double normBoundKey() {
        return aggregation.kind() == AggregatorKind.NORM_BOUND ? aggregation.normBound() : null;
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
     * @param aggregator {@code server.aggregator}
     * @param trimFraction {@code server.trim_fraction}
     * @param normBound {@code server.norm_bound}
     * @return the section
     */
    @JsonCreator
    static ServerConfig fromJson(@JsonProperty("align_steps") Integer alignSteps,
            @JsonProperty("pre_align_rounds") Integer preAlignRounds, @JsonProperty("kl_weight") Double klWeight,
            @JsonProperty("batch_size") Integer batchSize, @JsonProperty("grad_accum") Integer gradAccum,
            @JsonProperty("fedot_distill") Boolean fedotDistill,
            @JsonProperty("pre_align_fresh_optimizer") Boolean preAlignFreshOptimizer,
            @JsonProperty("aggregator") AggregatorKind aggregator, @JsonProperty("trim_fraction") Double trimFraction,
            @JsonProperty("norm_bound") Double normBound) {
        ServerConfig d = DEFAULT;
        return new ServerConfig(alignSteps != null ? alignSteps : d.alignSteps,
                preAlignRounds != null ? preAlignRounds : d.preAlignRounds, klWeight != null ? klWeight : d.klWeight,
                batchSize != null ? batchSize : d.batchSize, gradAccum != null ? gradAccum : d.gradAccum,
                fedotDistill != null ? fedotDistill : d.fedotDistill,
                preAlignFreshOptimizer != null ? preAlignFreshOptimizer : d.preAlignFreshOptimizer,
                AggregationConfig.of(aggregator, trimFraction, normBound));
    }
}
