/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.tensor.NamedTensors;

/**
 * What local training produced.
 *
 * @param trainedLora the trained LoRA tensors (same names and shapes as the request's trainable LoRA)
 * @param samples examples processed (FedAvg weight)
 * @param steps optimizer steps taken
 * @param meanLoss mean cross-entropy over the micro-batches used
 * @param meanProximal mean proximal term over the micro-batches used
 * @param skippedBatches micro-batches skipped because their loss was not finite
 */
public record LocalTrainResult(NamedTensors trainedLora, int samples, int steps, double meanLoss,
        double meanProximal, int skippedBatches) {}
