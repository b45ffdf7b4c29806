/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.FedbiotException;
import org.junit.jupiter.api.Test;

/** Core alone has no engine on its class path: lookups fail with the names available. */
class EnginesTest {

    @Test
    void looksProvidersUpOnce() {
        assertThat(Engines.available()).isEmpty();
        assertThat(Engines.available()).isSameAs(Engines.available());
    }

    @Test
    void failsWithoutAnEngine() {
        assertThatThrownBy(() -> Engines.get("djl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No engine 'djl'; available: []");
        String before = System.getProperty("fedbiot.engine");
        try {
            System.clearProperty("fedbiot.engine");
            if (System.getenv("FEDBIOT_ENGINE") == null) {
                assertThatThrownBy(Engines::getDefault).isInstanceOf(FedbiotException.class)
                        .hasMessageContaining("No fedbiot engine found");
            }
            System.setProperty("fedbiot.engine", "other");
            assertThatThrownBy(Engines::getDefault).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'other'");
        } finally {
            if (before == null) {
                System.clearProperty("fedbiot.engine");
            } else {
                System.setProperty("fedbiot.engine", before);
            }
        }
    }
}
