/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.TrainingEngine;
import org.junit.jupiter.api.Test;

/** The engine is found through the service loader and built once. */
class DjlEngineProviderTest {
    @Test
    void enginesFindsTheDjlEngine() {
        assertThat(Engines.available()).contains("djl");
        TrainingEngine e = Engines.get("djl");
        assertThat(e).isInstanceOf(DjlTrainingEngine.class).isSameAs(Engines.get("djl"));
        assertThat(e.name()).isEqualTo("djl");
        assertThat(e.version()).contains("PyTorch").contains("0.36.0");
    }
}
