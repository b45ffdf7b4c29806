/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

/**
 * The service an engine module registers in {@code META-INF/services/io.github.fedbiot.engine.EngineProvider}.
 * Providers are cheap to construct and build their engine on first use.
 */
public interface EngineProvider {

    /** Returns the engine's name. @return the name, e.g. {@code djl} */
    String getEngineName();

    /** Returns the rank; the lowest rank wins when several engines are present. @return the rank */
    int getEngineRank();

    /** Returns the engine, built on the first call and cached. @return the engine */
    TrainingEngine getEngine();
}
