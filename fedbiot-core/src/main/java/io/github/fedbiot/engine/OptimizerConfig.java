/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.ConfigException;

/**
 * AdamW settings. A fresh optimizer state is built for every training call, as in the reference code.
 *
 * @param learningRate the step size
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param epsilon denominator guard
 * @param weightDecay decoupled weight decay
 */
public record OptimizerConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {

    /** FedBiOT's LLaMA-2 configuration: AdamW, lr 1e-4, betas (0.9, 0.95), no weight decay. */
    public static final OptimizerConfig DEFAULT = new OptimizerConfig(1e-4, 0.9, 0.95, 1e-8, 0.0);

    /** Validates the values. */
    public OptimizerConfig {
        ConfigException.require(learningRate > 0 && Double.isFinite(learningRate), "optimizer.lr", learningRate,
                "must be > 0");
        ConfigException.require(beta1 >= 0 && beta1 < 1, "optimizer.beta1", beta1, "must be in [0, 1)");
        ConfigException.require(beta2 >= 0 && beta2 < 1, "optimizer.beta2", beta2, "must be in [0, 1)");
        ConfigException.require(epsilon > 0, "optimizer.eps", epsilon, "must be > 0");
        ConfigException.require(weightDecay >= 0, "optimizer.weight_decay", weightDecay, "must be >= 0");
    }

    /**
     * Returns a copy with another learning rate.
     *
     * @param lr the learning rate
     * @return the new config
     */
    public OptimizerConfig withLearningRate(double lr) {
        return new OptimizerConfig(lr, beta1, beta2, epsilon, weightDecay);
    }
}
