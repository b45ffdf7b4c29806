/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void shapeIsCopiedInAndOut() {
        int[] shape = {2, 3};
        Tensor t = new Tensor(shape, new float[6]);
        shape[0] = 3;
        assertThat(t.shape()).containsExactly(2, 3);
        t.shape()[1] = 9;
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.rank()).isEqualTo(2);
        assertThat(t.dim(1)).isEqualTo(3);
        assertThat(t.numel()).isEqualTo(6);
        assertThat(t.hasShape(2, 3)).isTrue();
        assertThat(t.toString()).isEqualTo("Tensor[2, 3]");
    }

    @Test
    void scalarsAndEmptyTensors() {
        Tensor scalar = new Tensor(new int[] {}, new float[] {5f});
        assertThat(scalar.rank()).isZero();
        assertThat(scalar.numel()).isEqualTo(1);
        assertThat(Tensor.zeros(0, 7).numel()).isZero();
        assertThat(Tensor.numel(new int[] {0, Integer.MAX_VALUE})).isZero();
    }

    @Test
    void rejectsInconsistentShapes() {
        assertThatThrownBy(() -> new Tensor(new int[] {2, 2}, new float[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, 2] needs 4 values, got 5");
        assertThatThrownBy(() -> Tensor.numel(new int[] {2, -1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative dimension");
        int big = Integer.MAX_VALUE;
        assertThatThrownBy(() -> Tensor.numel(new int[] {big, big, big})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too many elements");
    }

    @Test
    void arithmetic() {
        Tensor a = new Tensor(new int[] {3}, new float[] {1, -2, 3});
        Tensor b = new Tensor(new int[] {3}, new float[] {1, 2, 3});
        assertThat(a.squaredNorm()).isEqualTo(14.0);
        assertThat(a.maxAbsDiff(b)).isEqualTo(4.0);
        assertThat(a.isFinite()).isTrue();
        assertThat(new Tensor(new int[] {1}, new float[] {Float.NaN}).isFinite()).isFalse();
        assertThatThrownBy(() -> a.maxAbsDiff(Tensor.zeros(1, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape mismatch: [3] vs [1, 3]");
        // squared norm accumulates in double: 1e20^2 overflows float but not double
        assertThat(new Tensor(new int[] {1}, new float[] {1e20f}).squaredNorm()).isCloseTo(1e40, withinPercentage(1e-5));
    }

    @Test
    void equalityIsByShapeAndBits() {
        Tensor a = new Tensor(new int[] {2}, new float[] {1, Float.NaN});
        assertThat(a).isEqualTo(new Tensor(new int[] {2}, new float[] {1, Float.NaN}));
        assertThat(a).isNotEqualTo(new Tensor(new int[] {1, 2}, new float[] {1, Float.NaN}));
        assertThat(new Tensor(new int[] {1}, new float[] {0f})).isNotEqualTo(new Tensor(new int[] {1},
                new float[] {-0f}));
        assertThat(a.hashCode()).isEqualTo(new Tensor(new int[] {2}, new float[] {1, Float.NaN}).hashCode());
    }
}
