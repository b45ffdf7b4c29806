/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

/**
 * The differential privacy of a round ({@code privacy} section): the privacy spent so far and the clipping and
 * noise that produced it. NaN (0 clipped updates) when privacy is off.
 *
 * @param epsilon epsilon for the configured delta after all rounds up to this one
 * @param clippingNorm the clipping norm C this round used
 * @param noiseStddev the standard deviation of the noise on each element of the aggregate (central) or of each
 *     client's update (local)
 * @param clippedUpdates how many updates clipping scaled down
 * @param nextClippingNorm the clipping norm the next round uses (differs from {@code clippingNorm} when
 *     adaptive)
 */
public record PrivacyStats(double epsilon, double clippingNorm, double noiseStddev, int clippedUpdates,
        double nextClippingNorm) {
    /** A round without differential privacy. */
    public static final PrivacyStats NONE = new PrivacyStats(Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN);
}
