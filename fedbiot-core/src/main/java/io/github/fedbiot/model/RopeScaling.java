/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

/**
 * Rotary-embedding frequency scaling as Hugging Face's {@code rope_scaling} describes it.
 *
 * @param type {@code linear}, {@code dynamic} (treated as linear at training lengths) or {@code llama3}
 * @param factor the scaling factor
 * @param lowFreqFactor llama3 only: the low-frequency factor
 * @param highFreqFactor llama3 only: the high-frequency factor
 * @param originalMaxPositions llama3 only: the original context length
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositions) {

    /** Validates the type and factor. */
    public RopeScaling {
        if (!type.equals("linear") && !type.equals("llama3") && !type.equals("dynamic")) {
            throw new IllegalArgumentException("rope_scaling.type '" + type
                    + "' is not supported; supported: linear, dynamic, llama3");
        }
        if (!(factor > 0)) {
            throw new IllegalArgumentException("rope_scaling.factor must be > 0 (found " + factor + ")");
        }
    }

    /**
     * Returns the inverse frequencies {@code theta^(-2i/d)} for {@code i < d/2} after scaling, as
     * transformers' {@code _compute_default_rope_parameters} and its linear / llama3 variants compute them.
     *
     * @param scaling the scaling, or null for none
     * @param theta the RoPE base
     * @param headDim the head dimension d
     * @return {@code d/2} inverse frequencies
     */
    public static double[] inverseFrequencies(RopeScaling scaling, double theta, int headDim) {
        int half = headDim / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        if (scaling == null) {
            return inv;
        }
        if (!scaling.type().equals("llama3")) {
            for (int i = 0; i < half; i++) {
                inv[i] /= scaling.factor();
            }
            return inv;
        }
        double lowWavelen = scaling.originalMaxPositions() / scaling.lowFreqFactor();
        double highWavelen = scaling.originalMaxPositions() / scaling.highFreqFactor();
        for (int i = 0; i < half; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowWavelen) {
                inv[i] = inv[i] / scaling.factor();
            } else if (wavelen >= highWavelen) {
                double smooth = (scaling.originalMaxPositions() / wavelen - scaling.lowFreqFactor())
                        / (scaling.highFreqFactor() - scaling.lowFreqFactor());
                inv[i] = (1 - smooth) * inv[i] / scaling.factor() + smooth * inv[i];
            }
        }
        return inv;
    }
}
