/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.engine.OptimizerConfig;

/**
 * The {@code optimizer} section as a file writes it ({@code lr} and {@code eps}, the reference code's keys),
 * every key optional. The configuration holds the resolved {@link OptimizerConfig}; {@link Names} writes it back
 * under the same keys.
 *
 * @param lr {@code optimizer.lr}
 * @param beta1 {@code optimizer.beta1}
 * @param beta2 {@code optimizer.beta2}
 * @param eps {@code optimizer.eps}
 * @param weightDecay {@code optimizer.weight_decay}
 */
record OptimizerKeys(Double lr, Double beta1, Double beta2, Double eps, Double weightDecay) {

    /** Returns the settings, the default for each missing key. @return the optimizer settings */
    OptimizerConfig resolve() {
        OptimizerConfig d = OptimizerConfig.DEFAULT;
        return new OptimizerConfig(lr != null ? lr : d.learningRate(), beta1 != null ? beta1 : d.beta1(),
                beta2 != null ? beta2 : d.beta2(), eps != null ? eps : d.epsilon(),
                weightDecay != null ? weightDecay : d.weightDecay());
    }

    /** A Jackson mix-in that writes {@link OptimizerConfig} under the file's keys. */
    abstract static class Names {
        @JsonProperty("lr")
        abstract double learningRate();

        @JsonProperty("eps")
        abstract double epsilon();
    }
}
