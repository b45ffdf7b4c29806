/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.engine.OptimizerConfig;
import java.util.Objects;

/**
 * How the server aligns the emulator, resolved once from the configuration.
 *
 * @param optimizer AdamW settings (a fresh state every alignment block)
 * @param batchSize public examples per micro-batch
 * @param gradAccum micro-batches per alignment step
 * @param klWeight lambda of the KL term
 * @param preAlignBlockSteps pre-alignment steps that share one optimizer state
 */
public record AlignmentSettings(OptimizerConfig optimizer, int batchSize, int gradAccum, double klWeight,
        int preAlignBlockSteps) {

    /** Rejects missing parts. */
    public AlignmentSettings {
        Objects.requireNonNull(optimizer, "optimizer");
    }

    /**
     * Resolves the settings of a configuration's {@code server} and {@code optimizer} sections.
     *
     * @param config the configuration
     * @return the settings
     */
    public static AlignmentSettings of(FedbiotConfig config) {
        var s = config.server();
        return new AlignmentSettings(config.optimizer(), s.batchSize(), s.gradAccum(), s.klWeight(),
                s.preAlignBlockSteps());
    }
}
