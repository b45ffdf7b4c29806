/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

    @Test
    void requireThrowsNamingKeyValueAndRule() {
        assertThatThrownBy(() -> ConfigException.require(false, "lora.rank", 0, "must be > 0"))
                .isInstanceOf(ConfigException.class).isInstanceOf(FedbiotException.class)
                .hasMessage("lora.rank: must be > 0 (found 0)")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("lora.rank");
    }

    @Test
    void requirePassesWhenTheConditionHolds() {
        ConfigException.require(true, "lora.rank", 8, "must be > 0");
    }

    @Test
    void keepsTheCause() {
        IllegalStateException cause = new IllegalStateException("inner");
        ConfigException e = new ConfigException("data.path", "cannot read", cause);
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.key()).isEqualTo("data.path");
        assertThat(e.getMessage()).isEqualTo("data.path: cannot read");
        assertThat(new ConfigException("k", "m").getCause()).isNull();
    }
}
