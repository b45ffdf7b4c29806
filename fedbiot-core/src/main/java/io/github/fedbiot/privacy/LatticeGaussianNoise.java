/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Random;

/**
 * Gaussian noise of a given standard deviation s, as the scaled discrete Gaussian {@code g * N_Z(0, 2^40)} on the
 * lattice {@code g Z} with {@code g = s / 2^20} ({@link DiscreteGaussianSampler}), added after the value itself is
 * rounded to that lattice. The result {@code (round(x / g) + Z) g} is a function of an integer only, so it takes
 * the same set of values for every input and float rounding is post-processing: the floating-point attack on
 * naive samplers (Mironov 2012) has nothing to read. The rounding moves a d-element vector by at most
 * {@code g sqrt(d)} in L2, which {@link #effectiveNoiseMultiplier} charges to the privacy accounting.
 */
public final class LatticeGaussianNoise {
    /** The discrete Gaussian's sigma in lattice steps. */
    static final int LATTICE_BITS = 20;

    private final Random random;

    /**
     * Creates a noise source.
     *
     * @param random the uniform source ({@link java.security.SecureRandom} outside tests)
     */
    public LatticeGaussianNoise(Random random) {
        this.random = random;
    }

    /**
     * Returns the noise multiplier the accountant must use when noise {@code z * sensitivity} is added to a
     * d-element vector on the lattice: the rounding adds at most {@code g sqrt(d)} to the sensitivity, so
     * {@code z_eff = z / (1 + z sqrt(d) / 2^20)}.
     *
     * @param z the nominal noise multiplier
     * @param d the number of noised elements
     * @return the effective multiplier
     */
    public static double effectiveNoiseMultiplier(double z, long d) {
        return z / (1 + z * Math.sqrt(d) / (1L << LATTICE_BITS));
    }

    /**
     * Returns a copy of the tensors with independent noise of standard deviation {@code stddev} on every element.
     *
     * @param x the tensors
     * @param stddev the standard deviation (0: {@code x} is returned)
     * @return the noised tensors
     */
    public NamedTensors addTo(NamedTensors x, double stddev) {
        if (stddev == 0) {
            return x;
        }
        DiscreteGaussianSampler z = new DiscreteGaussianSampler(random, 1L << LATTICE_BITS);
        double g = Math.scalb(stddev, -LATTICE_BITS);
        NamedTensors.Builder out = NamedTensors.builder();
        for (var e : x.asMap().entrySet()) {
            float[] in = e.getValue().data();
            float[] noised = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                noised[i] = (float) onLattice(in[i], g, z.sample());
            }
            out.add(e.getKey(), new Tensor(e.getValue().shape(), noised));
        }
        return out.build();
    }

    /**
     * Returns a scalar with noise of standard deviation {@code stddev}.
     *
     * @param x the value
     * @param stddev the standard deviation (0: {@code x})
     * @return the noised value
     */
    public double addTo(double x, double stddev) {
        if (stddev == 0) {
            return x;
        }
        return onLattice(x, Math.scalb(stddev, -LATTICE_BITS),
                new DiscreteGaussianSampler(random, 1L << LATTICE_BITS).sample());
    }

    private static double onLattice(double x, double g, long noise) {
        return (Math.rint(x / g) + noise) * g;
    }
}
