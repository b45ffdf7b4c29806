/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LoraSpec;
import java.util.List;

/**
 * What a client needs to know to train one round, sent inside every {@link RoundMessage} so that clients keep
 * no configuration of their own.
 *
 * @param stack the decoder layers of the model the client runs (the compressed stack: emulator + adapter)
 * @param lora the LoRA settings
 * @param optimizer AdamW settings (a fresh state every round)
 * @param localSteps optimizer steps this round
 * @param batchSize examples per micro-batch
 * @param gradAccum micro-batches per optimizer step
 * @param proximalWeight mu of the proximal term
 * @param proximalGradient false reproduces the reference code's gradient-free proximal term
 * @param seed this round's seed; each client mixes in its id for its LoRA dropout masks
 */
public record ClientRoundConfig(List<Integer> stack, LoraSpec lora, OptimizerConfig optimizer, int localSteps,
        int batchSize, int gradAccum, double proximalWeight, boolean proximalGradient, long seed) {

    /** Validates the values. */
    public ClientRoundConfig {
        stack = List.copyOf(stack);
        ConfigException.require(!stack.isEmpty(), "plan", stack, "the client's layer stack must not be empty");
        ConfigException.require(localSteps >= 1, "client.local_steps", localSteps, "must be >= 1");
        ConfigException.require(batchSize >= 1, "client.batch_size", batchSize, "must be >= 1");
        ConfigException.require(gradAccum >= 1, "client.grad_accum", gradAccum, "must be >= 1");
        ConfigException.require(proximalWeight >= 0 && Double.isFinite(proximalWeight), "client.proximal_weight",
                proximalWeight, "must be >= 0");
    }

    /**
     * Returns these settings with another seed.
     *
     * @param value the seed
     * @return the copy
     */
    public ClientRoundConfig withSeed(long value) {
        return new ClientRoundConfig(stack, lora, optimizer, localSteps, batchSize, gradAccum, proximalWeight,
                proximalGradient, value);
    }
}
