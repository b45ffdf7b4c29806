/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import org.junit.jupiter.api.Test;

class UpdateClippingTest {
    static NamedTensors of(float... a) {
        return NamedTensors.builder().add("a", new Tensor(new int[] {2}, new float[] {a[0], a[1]}))
                .add("b", new Tensor(new int[] {1}, new float[] {a[2]})).build();
    }

    @Test
    void scalesTheUpdateDownToTheNorm() {
        NamedTensors ref = of(1, 1, 1);
        UpdateClipping.Clipped c = UpdateClipping.clip(of(4, 5, 1), ref, 1.0); // update (3, 4, 0), norm 5
        assertThat(c.norm()).isCloseTo(5, within(1e-9));
        assertThat(c.wasClipped()).isTrue();
        assertThat(c.clipped().get("a").data()).containsExactly(1.6f, 1.8f);
        assertThat(UpdateClipping.updateNorm(c.clipped(), ref)).isCloseTo(1, within(1e-6));
    }

    @Test
    void leavesASmallUpdateAlone() {
        UpdateClipping.Clipped c = UpdateClipping.clip(of(1.5f, 1, 1), of(1, 1, 1), 1.0);
        assertThat(c.wasClipped()).isFalse();
        assertThat(c.clipped()).isEqualTo(of(1.5f, 1, 1));
    }
}
