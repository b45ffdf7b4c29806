/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.engine.BaseModel;
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

    @Test
    void randomModelsAndTheirTokenizerThroughTheSpi() {
        TrainingEngine e = Engines.get("djl");
        try (BaseModel m = e.random(TinyModels.llama(), 1, null)) {
            assertThat(m.hasTokenizer()).isFalse();
            assertThatThrownBy(m::tokenizer).isInstanceOf(FedbiotException.class);
        }
        try (BaseModel m = e.random(TinyModels.llama(), 1, 0.3, TinyModels.tokenizerJson())) {
            assertThat(m.hasTokenizer()).isTrue();
            assertThat(m.tokenizer().vocabSize()).isPositive();
        }
    }
}
