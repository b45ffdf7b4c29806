/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The engine SPI: what a tensor engine provides to the engine-neutral algorithms. Engines register an
 * {@link io.github.fedbiot.engine.EngineProvider} and are found by {@link io.github.fedbiot.engine.Engines}.
 */
package io.github.fedbiot.engine;
