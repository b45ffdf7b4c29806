/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The in-process federation: {@link io.github.fedbiot.runtime.FederatedSimulation} runs the server and all clients
 * in one JVM on one shared model, with seeded client sampling and dropouts, deadlines, atomic per-round
 * {@link io.github.fedbiot.runtime.RoundCheckpoint}s that a run can resume from, and
 * {@link io.github.fedbiot.runtime.RoundListener}s for metrics and progress (typed events:
 * {@link io.github.fedbiot.runtime.RoundPhase}, {@link io.github.fedbiot.runtime.ClientOutcome}).
 * {@link io.github.fedbiot.runtime.FederationSetup} builds a federation's parts from a configuration and a model
 * for the simulation and for the Flower server and client alike.
 */
package io.github.fedbiot.runtime;
