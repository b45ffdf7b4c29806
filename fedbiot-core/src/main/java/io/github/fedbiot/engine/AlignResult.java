/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.tensor.NamedTensors;

/**
 * What emulator alignment produced.
 *
 * @param emulatorLora the trained emulator LoRA
 * @param steps optimizer steps taken
 * @param meanNl2 mean NL2 term over the micro-batches used
 * @param meanKl mean KL term over the micro-batches used (0 when lambda is 0)
 * @param skippedBatches micro-batches skipped because their loss was not finite
 */
public record AlignResult(NamedTensors emulatorLora, int steps, double meanNl2, double meanKl, int skippedBatches) {}
