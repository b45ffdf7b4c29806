/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RotaryLayoutTest {

    /** Head dim 4: HF rows (0, 1 | 2, 3) pair as (0,2) and (1,3); GGUF stores them as rows 0, 2, 1, 3. */
    @Test
    void interleavesTheHalvesOfEachHead() {
        Tensor hf = new Tensor(new int[] {8}, new float[] {0, 1, 2, 3, 10, 11, 12, 13});
        Tensor gguf = RotaryLayout.toGguf(hf, 2);
        assertThat(gguf.data()).containsExactly(0, 2, 1, 3, 10, 12, 11, 13);
        assertThat(RotaryLayout.toHuggingFace(gguf, 2).data()).containsExactly(hf.data());
    }

    @Test
    void movesWholeRows() {
        Tensor hf = new Tensor(new int[] {4, 2}, new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f});
        assertThat(RotaryLayout.toGguf(hf, 1).data()).containsExactly(0, 0.5f, 2, 2.5f, 1, 1.5f, 3, 3.5f);
    }

    @Test
    void roundTripsAndIsNotTheIdentity() {
        Random r = new Random(1);
        float[] v = new float[9 * 64 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        Tensor t = new Tensor(new int[] {9 * 64, 5}, v);
        Tensor there = RotaryLayout.toGguf(t, 9);
        assertThat(there.contentEquals(t)).isFalse();
        assertThat(RotaryLayout.toHuggingFace(there, 9).contentEquals(t)).isTrue();
        assertThat(RotaryLayout.toGguf(RotaryLayout.toHuggingFace(t, 9), 9).contentEquals(t)).isTrue();
    }

    @Test
    void rejectsRowsThatDoNotSplitIntoHeads() {
        assertThatThrownBy(() -> RotaryLayout.toHuggingFace(Tensor.zeros(6, 2), 4))
                .hasMessageContaining("6 rows do not split into 4 heads");
        assertThatThrownBy(() -> RotaryLayout.toHuggingFace(Tensor.zeros(6, 2), 2))
                .hasMessageContaining("of an even dimension");
    }
}
