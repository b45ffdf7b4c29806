/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * FedBiOT written against the engine SPI: the {@link io.github.fedbiot.algorithm.FedBiOTServer} (aggregation
 * through a pluggable {@link io.github.fedbiot.algorithm.Aggregator}, update validation, emulator alignment),
 * the {@link io.github.fedbiot.algorithm.FedBiOTClient} (local adapter training with a real proximal gradient),
 * the messages they exchange ({@link io.github.fedbiot.algorithm.RoundMessage},
 * {@link io.github.fedbiot.algorithm.ClientUpdate}), the baselines as
 * {@link io.github.fedbiot.algorithm.TrainingStrategy} values, AdapEmu / AdapFu evaluation, the typed seed streams
 * ({@link io.github.fedbiot.algorithm.SeedStream}) and the one step x micro-batch loop
 * ({@link io.github.fedbiot.algorithm.StepBatches}).
 */
package io.github.fedbiot.algorithm;
