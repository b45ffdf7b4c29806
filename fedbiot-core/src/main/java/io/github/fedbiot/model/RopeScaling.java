/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

/**
 * Rotary-embedding frequency scaling as Hugging Face's {@code rope_scaling} describes it.
 *
 * <p>{@code dynamic} (dynamic NTK) only changes the frequencies for inputs longer than
 * {@code max_position_embeddings}; fedbiot trains and evaluates within that length, where transformers uses
 * the unscaled frequencies, so {@link #inverseFrequencies} returns those for it.
 *
 * @param type {@code linear}, {@code dynamic} or {@code llama3}
 * @param factor the scaling factor
 * @param lowFreqFactor llama3 only: the low-frequency factor
 * @param highFreqFactor llama3 only: the high-frequency factor
 * @param originalMaxPositions llama3 only: the original context length
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositions) {

    /**
     * Validates the type and factor, and for {@code llama3} the band limits.
     *
     * @throws IllegalArgumentException naming the bad field and value
     */
    public RopeScaling {
        if (!"linear".equals(type) && !"llama3".equals(type) && !"dynamic".equals(type)) {
            throw new IllegalArgumentException("rope_scaling.rope_type '" + type
                    + "' is not supported; supported: linear, dynamic, llama3");
        }
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("rope_scaling.factor must be a finite number > 0 (found " + factor + ")");
        }
        if (type.equals("llama3")) {
            if (!(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor) || Double.isInfinite(highFreqFactor)) {
                throw new IllegalArgumentException("rope_scaling: llama3 needs 0 < low_freq_factor < high_freq_factor"
                        + " (found " + lowFreqFactor + ", " + highFreqFactor + ")");
            }
            if (originalMaxPositions <= 0) {
                throw new IllegalArgumentException("rope_scaling.original_max_position_embeddings must be > 0 (found "
                        + originalMaxPositions + ")");
            }
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
     * @throws IllegalArgumentException if {@code theta} is not a finite number &gt; 0 or {@code headDim} is not a
     *     positive even number
     */
    public static double[] inverseFrequencies(RopeScaling scaling, double theta, int headDim) {
        if (!(theta > 0) || Double.isInfinite(theta)) {
            throw new IllegalArgumentException("rope_theta must be a finite number > 0 (found " + theta + ")");
        }
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be a positive even number (found " + headDim + ")");
        }
        int half = headDim / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        if (scaling == null || scaling.type().equals("dynamic")) {
            return inv;
        }
        if (scaling.type().equals("linear")) {
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
