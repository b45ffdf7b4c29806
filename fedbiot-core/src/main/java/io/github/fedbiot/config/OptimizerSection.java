/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.engine.OptimizerConfig;

/**
 * The optimizer section of a configuration file: AdamW, used by clients and, as in the reference code, by the
 * server's emulator alignment; a fresh state is built for every training call.
 *
 * @param lr the learning rate
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param eps denominator guard
 * @param weightDecay decoupled weight decay
 */
public record OptimizerSection(double lr, double beta1, double beta2, double eps, double weightDecay) {

    /** FedBiOT's LLaMA-2 configuration: lr 1e-4, betas (0.9, 0.95), no weight decay. */
    public static final OptimizerSection DEFAULT = new OptimizerSection(1e-4, 0.9, 0.95, 1e-8, 0.0);

    /** Validates the values through {@link OptimizerConfig}. */
    public OptimizerSection {
        new OptimizerConfig(lr, beta1, beta2, eps, weightDecay);
    }

    /** Returns the engine-level settings. @return the optimizer config */
    public OptimizerConfig toOptimizer() {
        return new OptimizerConfig(lr, beta1, beta2, eps, weightDecay);
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param lr {@code optimizer.lr}
     * @param beta1 {@code optimizer.beta1}
     * @param beta2 {@code optimizer.beta2}
     * @param eps {@code optimizer.eps}
     * @param weightDecay {@code optimizer.weight_decay}
     * @return the section
     */
    @JsonCreator
    static OptimizerSection fromJson(@JsonProperty("lr") Double lr, @JsonProperty("beta1") Double beta1,
            @JsonProperty("beta2") Double beta2, @JsonProperty("eps") Double eps,
            @JsonProperty("weight_decay") Double weightDecay) {
        OptimizerSection d = DEFAULT;
        return new OptimizerSection(lr != null ? lr : d.lr, beta1 != null ? beta1 : d.beta1,
                beta2 != null ? beta2 : d.beta2, eps != null ? eps : d.eps,
                weightDecay != null ? weightDecay : d.weightDecay);
    }
}
