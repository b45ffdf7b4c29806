/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.ConfigException;
import java.util.Set;

/**
 * Client-level differential privacy of the adapter LoRA update (the {@code privacy} section; see
 * {@code docs/privacy.md}). Off by default.
 *
 * @param mechanism {@code none}, {@code central} (DP-FedAvg: clipped updates, Gaussian noise on the aggregate)
 *     or {@code local} (each client noises its own clipped update)
 * @param clipping {@code fixed} or {@code adaptive} (Andrew et al. 2021; central only)
 * @param clippingSide {@code server} (the server clips what it receives) or {@code client} (the client clips
 *     before sending; required by {@code local})
 * @param clippingNorm C, the L2 bound of one client's update (the initial C when adaptive)
 * @param noiseMultiplier z: the noise standard deviation is {@code z * C} for one client's contribution
 * @param targetClippedQuantile adaptive: the share of updates C should clip
 * @param clipNormLr adaptive: the learning rate of the geometric update of C
 * @param clippedCountStddev adaptive: the noise on the count of clipped updates (null: sampled clients / 20)
 * @param delta the delta epsilon is reported for
 * @param noiseSeed null (the default: noise from {@link java.security.SecureRandom}) or a seed that makes the
 *     noise reproducible; for tests only, since anyone who knows it can subtract the noise
 */
public record PrivacyConfig(String mechanism, String clipping, String clippingSide, double clippingNorm,
        double noiseMultiplier, double targetClippedQuantile, double clipNormLr, Double clippedCountStddev,
        double delta, Long noiseSeed) {

    /** Defaults: no privacy; when enabled, fixed server-side clipping to C = 0.1 with z = 1 and delta = 1e-5. */
    public static final PrivacyConfig DEFAULT = new PrivacyConfig("none", "fixed", "server", 0.1, 1.0, 0.5, 0.2,
            null, 1e-5, null);

    /** Validates the values. */
    public PrivacyConfig {
        ConfigException.require(Set.of("none", "central", "local").contains(mechanism), "privacy.mechanism",
                mechanism, "must be none, central or local");
        ConfigException.require(Set.of("fixed", "adaptive").contains(clipping), "privacy.clipping", clipping,
                "must be fixed or adaptive");
        ConfigException.require(Set.of("server", "client").contains(clippingSide), "privacy.clipping_side",
                clippingSide, "must be server or client");
        ConfigException.require(clippingNorm > 0 && Double.isFinite(clippingNorm), "privacy.clipping_norm",
                clippingNorm, "must be > 0");
        ConfigException.require(noiseMultiplier >= 0 && Double.isFinite(noiseMultiplier), "privacy.noise_multiplier",
                noiseMultiplier, "must be >= 0");
        ConfigException.require(targetClippedQuantile >= 0 && targetClippedQuantile <= 1,
                "privacy.target_clipped_quantile", targetClippedQuantile, "must be in [0, 1]");
        ConfigException.require(clipNormLr > 0 && Double.isFinite(clipNormLr), "privacy.clip_norm_lr", clipNormLr,
                "must be > 0");
        ConfigException.require(clippedCountStddev == null || clippedCountStddev >= 0
                && Double.isFinite(clippedCountStddev), "privacy.clipped_count_stddev", clippedCountStddev,
                "must be >= 0");
        ConfigException.require(delta > 0 && delta < 1, "privacy.delta", delta, "must be in (0, 1)");
        ConfigException.require(!"local".equals(mechanism) || "client".equals(clippingSide), "privacy.clipping_side",
                clippingSide, "must be client for the local mechanism (the client noises its own update)");
        ConfigException.require(!"local".equals(mechanism) || "fixed".equals(clipping), "privacy.clipping", clipping,
                "must be fixed for the local mechanism (adaptive clipping needs the server's noisy count)");
    }

    /** Returns whether any mechanism is on. @return true unless {@code mechanism} is {@code none} */
    public boolean enabled() {
        return !"none".equals(mechanism);
    }

    /** Returns whether the server adds the noise (DP-FedAvg). @return true for {@code central} */
    public boolean central() {
        return "central".equals(mechanism);
    }

    /** Returns whether C adapts each round. @return true for {@code adaptive} */
    public boolean adaptive() {
        return "adaptive".equals(clipping);
    }

    /** Returns whether the client clips its update before sending it. @return true for {@code client} */
    public boolean clientSide() {
        return "client".equals(clippingSide);
    }

    /** Leaves the noise seed out: a known seed undoes the noise. */
    @Override
    public String toString() {
        return "PrivacyConfig[mechanism=" + mechanism + ", clipping=" + clipping + ", clippingSide=" + clippingSide
                + ", clippingNorm=" + clippingNorm + ", noiseMultiplier=" + noiseMultiplier + ", delta=" + delta
                + ", noiseSeed=" + (noiseSeed == null ? "none" : "(set)") + "]";
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param mechanism {@code privacy.mechanism}
     * @param clipping {@code privacy.clipping}
     * @param clippingSide {@code privacy.clipping_side}
     * @param clippingNorm {@code privacy.clipping_norm}
     * @param noiseMultiplier {@code privacy.noise_multiplier}
     * @param targetClippedQuantile {@code privacy.target_clipped_quantile}
     * @param clipNormLr {@code privacy.clip_norm_lr}
     * @param clippedCountStddev {@code privacy.clipped_count_stddev}
     * @param delta {@code privacy.delta}
     * @param noiseSeed {@code privacy.noise_seed}
     * @return the section
     */
    @JsonCreator
    static PrivacyConfig fromJson(@JsonProperty("mechanism") String mechanism,
            @JsonProperty("clipping") String clipping, @JsonProperty("clipping_side") String clippingSide,
            @JsonProperty("clipping_norm") Double clippingNorm,
            @JsonProperty("noise_multiplier") Double noiseMultiplier,
            @JsonProperty("target_clipped_quantile") Double targetClippedQuantile,
            @JsonProperty("clip_norm_lr") Double clipNormLr,
            @JsonProperty("clipped_count_stddev") Double clippedCountStddev, @JsonProperty("delta") Double delta,
            @JsonProperty("noise_seed") Long noiseSeed) {
        PrivacyConfig d = DEFAULT;
        return new PrivacyConfig(mechanism != null ? mechanism : d.mechanism, clipping != null ? clipping : d.clipping,
                clippingSide != null ? clippingSide : d.clippingSide,
                clippingNorm != null ? clippingNorm : d.clippingNorm,
                noiseMultiplier != null ? noiseMultiplier : d.noiseMultiplier,
                targetClippedQuantile != null ? targetClippedQuantile : d.targetClippedQuantile,
                clipNormLr != null ? clipNormLr : d.clipNormLr, clippedCountStddev, delta != null ? delta : d.delta,
                noiseSeed);
    }
}
