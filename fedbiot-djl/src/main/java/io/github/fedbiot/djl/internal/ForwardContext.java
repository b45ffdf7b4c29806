/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;

/**
 * What every layer of one forward pass shares, built once per pass: the batch geometry, the rotary
 * tables for positions {@code [offset, offset + seqLen)}, the causal mask and the training flag.
 *
 * @param batch B
 * @param seqLen T, the number of new positions
 * @param offset the number of positions already in the KV cache
 * @param cos rotary cosines {@code [T, dh]} (null for GPT-2)
 * @param sin rotary sines with the first half negated, {@code [T, dh]} (null for GPT-2)
 * @param cosQ {@code cos / sqrt(dh)}: the attention scale folded into the queries' rotation (null for GPT-2)
 * @param sinQ {@code sin / sqrt(dh)}, first half negated (null for GPT-2)
 * @param mask additive causal mask {@code [T, offset + T]}, or null when T is 1
 * @param training whether LoRA dropout is active
 */
public record ForwardContext(int batch, int seqLen, int offset, NDArray cos, NDArray sin, NDArray cosQ,
        NDArray sinQ, NDArray mask,
        boolean training) {}
