/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DTypeTest {

    @Test
    void parsesSafetensorsNames() {
        assertThat(DType.parse("BF16")).isEqualTo(DType.BF16);
        assertThat(DType.parse("F32").bytes()).isEqualTo(4);
        assertThat(DType.parse("F16").bytes()).isEqualTo(2);
        assertThat(DType.parse("BF16").bytes()).isEqualTo(2);
        assertThat(DType.parse("F64").bytes()).isEqualTo(8);
        assertThat(DType.parse("I64").bytes()).isEqualTo(8);
        assertThat(DType.parse("I32").bytes()).isEqualTo(4);
        assertThat(DType.F16.isFloatingPoint()).isTrue();
        assertThat(DType.I32.isFloatingPoint()).isFalse();
    }

    @Test
    void rejectsUnknownNames() {
        assertThatThrownBy(() -> DType.parse("F8_E4M3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported dtype 'F8_E4M3' (supported: F32, F16, BF16, F64, I64, I32)");
        assertThatThrownBy(() -> DType.parse("bf16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DType.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null'");
    }
}
