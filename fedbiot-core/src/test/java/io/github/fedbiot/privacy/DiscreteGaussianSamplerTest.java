/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DiscreteGaussianSamplerTest {

    @Test
    void smallSigmaMatchesTheDiscreteGaussianMass() {
        DiscreteGaussianSampler s = new DiscreteGaussianSampler(new Random(1), 2);
        int n = 200_000;
        int[] counts = new int[41];
        for (int i = 0; i < n; i++) {
            long x = s.sample();
            counts[(int) Math.max(0, Math.min(40, x + 20))]++;
        }
        double norm = 0;
        for (int x = -20; x <= 20; x++) {
            norm += Math.exp(-x * x / 8.0);
        }
        for (int x = -6; x <= 6; x++) {
            double p = Math.exp(-x * x / 8.0) / norm;
            double sd = Math.sqrt(p * (1 - p) / n);
            assertThat(counts[x + 20] / (double) n).as("P(%d)", x).isCloseTo(p, within(5 * sd));
        }
    }

    @Test
    void latticeSigmaHasTheStatedMoments() {
        DiscreteGaussianSampler s = new DiscreteGaussianSampler(new Random(2), 1L << 20);
        int n = 20_000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double x = s.sample() / (double) (1L << 20);
            sum += x;
            sq += x * x;
        }
        assertThat(sum / n).isCloseTo(0, within(4 / Math.sqrt(n)));
        assertThat(sq / n).isCloseTo(1, within(0.04));
    }

    @Test
    void noisedTensorsLieOnTheLatticeAndHaveTheStddev() {
        float[] zeros = new float[20_000];
        NamedTensors x = NamedTensors.builder().add("w", new Tensor(new int[] {zeros.length}, zeros)).build();
        NamedTensors y = new LatticeGaussianNoise(new Random(3)).addTo(x, 0.01);
        double sq = 0;
        for (float v : y.get("w").data()) {
            sq += (double) v * v;
        }
        assertThat(Math.sqrt(sq / zeros.length)).isCloseTo(0.01, within(4e-4));
        assertThat(new LatticeGaussianNoise(new Random(3)).addTo(x, 0)).isSameAs(x);
    }

    @Test
    void theOutputSetDoesNotDependOnTheInputsLowBits() {
        // Mironov's attack reads the input from which floats the noised output can take; on the lattice, two
        // inputs within half a step give outputs from the same set
        double g = Math.scalb(0.5, -LatticeGaussianNoise.LATTICE_BITS);
        LatticeGaussianNoise a = new LatticeGaussianNoise(new Random(9));
        LatticeGaussianNoise b = new LatticeGaussianNoise(new Random(9));
        for (int i = 0; i < 1000; i++) {
            double ya = a.addTo(0.3, 0.5);
            double yb = b.addTo(0.3 + g / 3, 0.5);
            assertThat(ya).isEqualTo(yb);
            assertThat(Math.rint(ya / g) * g).isEqualTo(ya);
        }
    }

    @Test
    void effectiveMultiplierChargesTheRounding() {
        assertThat(LatticeGaussianNoise.effectiveNoiseMultiplier(1.0, 1)).isCloseTo(1.0, within(1e-5));
        assertThat(LatticeGaussianNoise.effectiveNoiseMultiplier(1.0, 1L << 20)).isCloseTo(1 / (1 + 1.0 / 1024),
                within(1e-12));
    }

    @Test
    void rejectsABadSigma() {
        assertThatThrownBy(() -> new DiscreteGaussianSampler(new Random(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
