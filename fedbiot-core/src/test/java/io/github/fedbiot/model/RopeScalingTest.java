/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RopeScalingTest {

    /**
     * Compares with {@code rope_inv_freq.txt}, written by {@code rope_inv_freq.py} (next to it), a plain-Python
     * transcription of transformers' RoPE initialisers, in double precision.
     */
    @Test
    void matchesTheTransformersFormulas() throws IOException {
        List<String> rows;
        try (InputStream in = getClass().getResourceAsStream("rope_inv_freq.txt")) {
            assertThat(in).isNotNull();
            rows = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.startsWith("#")).toList();
        }
        assertThat(rows).hasSize(6);
        for (String row : rows) {
            String[] f = row.split(" ");
            String type = f[1];
            double theta = Double.parseDouble(f[2]);
            int headDim = Integer.parseInt(f[3]);
            RopeScaling scaling = type.equals("none") ? null : new RopeScaling(type, Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), Integer.parseInt(f[7]));
            double[] expected = Arrays.stream(f[8].split(",")).mapToDouble(Double::parseDouble).toArray();
            double[] actual = RopeScaling.inverseFrequencies(scaling, theta, headDim);
            assertThat(actual).as(f[0]).hasSize(headDim / 2);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("%s[%d]", f[0], i).isCloseTo(expected[i], within(1e-14 * expected[i]));
            }
        }
    }

    @Test
    void llama3KeepsHighFrequenciesAndScalesLowOnes() {
        RopeScaling s = new RopeScaling("llama3", 8.0, 1.0, 4.0, 8192);
        double[] plain = RopeScaling.inverseFrequencies(null, 500000.0, 128);
        double[] scaled = RopeScaling.inverseFrequencies(s, 500000.0, 128);
        // wavelength 2 pi / f below 8192 / 4 = 2048: unchanged; above 8192: divided by the factor
        assertThat(scaled[0]).isEqualTo(plain[0]);
        assertThat(scaled[63]).isCloseTo(plain[63] / 8.0, within(1e-20));
        int medium = 0;
        for (int i = 0; i < 64; i++) {
            double wavelen = 2 * Math.PI / plain[i];
            if (wavelen >= 2048 && wavelen <= 8192) {
                medium++;
                assertThat(scaled[i]).isBetween(plain[i] / 8.0, plain[i]);
            }
        }
        assertThat(medium).isPositive();
    }

    @Test
    void linearDividesByTheFactorAndDynamicKeepsTheBase() {
        double[] plain = RopeScaling.inverseFrequencies(null, 10000.0, 64);
        double[] linear = RopeScaling.inverseFrequencies(new RopeScaling("linear", 4.0, 1, 4, 8192), 10000.0, 64);
        double[] dynamic = RopeScaling.inverseFrequencies(new RopeScaling("dynamic", 4.0, 1, 4, 8192), 10000.0, 64);
        for (int i = 0; i < 32; i++) {
            assertThat(linear[i]).isEqualTo(plain[i] / 4.0);
        }
        assertThat(dynamic).containsExactly(plain);
        assertThat(plain[0]).isEqualTo(1.0);
        assertThat(plain[1]).isCloseTo(Math.pow(10000.0, -2.0 / 64), within(0.0));
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> new RopeScaling("yarn", 2, 1, 4, 8192)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'yarn'");
        assertThatThrownBy(() -> new RopeScaling(null, 2, 1, 4, 8192)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null'");
        assertThatThrownBy(() -> new RopeScaling("linear", Double.NaN, 1, 4, 8192))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor");
        assertThatThrownBy(() -> new RopeScaling("llama3", 8, 1, 1, 8192)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low_freq_factor < high_freq_factor");
        assertThatThrownBy(() -> new RopeScaling("llama3", 8, 1, 4, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("original_max_position_embeddings");
        assertThatThrownBy(() -> RopeScaling.inverseFrequencies(null, 10000.0, 63))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head_dim");
        assertThatThrownBy(() -> RopeScaling.inverseFrequencies(null, 0.0, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rope_theta");
    }
}
