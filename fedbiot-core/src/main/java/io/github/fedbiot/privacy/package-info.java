/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Client-level differential privacy of the adapter LoRA update: flat L2 clipping
 * ({@link io.github.fedbiot.privacy.UpdateClipping}), Gaussian noise from an exact discrete Gaussian sampler
 * ({@link io.github.fedbiot.privacy.DiscreteGaussianSampler}, {@link io.github.fedbiot.privacy.LatticeGaussianNoise}),
 * DP-FedAvg with fixed or adaptive clipping and local DP ({@link io.github.fedbiot.privacy.ClientLevelDp}) and
 * the Renyi-DP accountant ({@link io.github.fedbiot.privacy.RdpAccountant}). See {@code docs/privacy.md}.
 */
package io.github.fedbiot.privacy;
