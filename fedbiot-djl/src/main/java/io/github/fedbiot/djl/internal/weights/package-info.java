/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * How the engine holds frozen base weights in native memory: float32, float16, bfloat16 (as its bit patterns)
 * or GGUF blocks (Q8_0, Q4_0, Q4_1: quants and f16 scales as separate arrays), each widened to a float32 array
 * with PyTorch operations when a pass needs it. Not an API.
 */
package io.github.fedbiot.djl.internal.weights;
