/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import io.github.fedbiot.engine.EngineProvider;
import io.github.fedbiot.engine.TrainingEngine;

/** Registers the {@code djl} engine (rank 0) with {@link io.github.fedbiot.engine.Engines}; built on first use. */
public final class DjlEngineProvider implements EngineProvider {
    private static volatile DjlTrainingEngine engine;

    /** Creates the provider (cheap; the engine starts on first {@link #getEngine()}). */
    public DjlEngineProvider() {}

    /** {@inheritDoc} */
    @Override
    public String getEngineName() {
        return "djl";
    }

    /** {@inheritDoc} */
    @Override
    public int getEngineRank() {
        return 0;
    }

    /** {@inheritDoc} */
    @Override
    public TrainingEngine getEngine() {
        DjlTrainingEngine e = engine;
        if (e == null) {
            synchronized (DjlEngineProvider.class) {
                e = engine;
                if (e == null) {
                    e = DjlTrainingEngine.newInstance();
                    engine = e;
                }
            }
        }
        return e;
    }
}
