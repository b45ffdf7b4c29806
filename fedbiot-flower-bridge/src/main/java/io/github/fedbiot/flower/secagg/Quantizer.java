/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import java.util.random.RandomGenerator;

/**
 * Stochastic quantization as flwr's {@code quantization.quantize}: each value is clipped to
 * {@code [-c, c]}, mapped to {@code (x + c) * Q / (2c)} and rounded up or down at random so that the expectation
 * is the value; the error of one value is below one step {@code 2c / Q}. {@code dequantize} (done by the
 * ServerApp) maps back with {@code v * 2c / Q - c}.
 */
public final class Quantizer {
    private Quantizer() {}

    /**
     * Quantizes values.
     *
     * @param values the values
     * @param clippingRange c
     * @param targetRange Q
     * @param random the source of the rounding decisions
     * @return integers in [0, Q]
     */
    public static long[] quantize(double[] values, double clippingRange, long targetRange, RandomGenerator random) {
        double quantizer = targetRange / (2 * clippingRange);
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            double pre = (Math.min(Math.max(values[i], -clippingRange), clippingRange) + clippingRange) * quantizer;
            long up = (long) Math.ceil(pre);
            // numpy: ret = ceil(x); ret[rand < ret - x] -= 1, i.e. round down with probability ceil(x) - x
            out[i] = random.nextDouble() < up - pre ? up - 1 : up;
        }
        return out;
    }
}
