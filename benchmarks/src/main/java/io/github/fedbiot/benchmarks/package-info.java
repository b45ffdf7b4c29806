/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * JMH micro-benchmarks of the server's per-round arithmetic on heap tensors: FedAvg over client LoRA updates
 * and safetensors round trips, at the LoRA sizes of a SmolLM2-135M-shaped model.
 */
package io.github.fedbiot.benchmarks;
