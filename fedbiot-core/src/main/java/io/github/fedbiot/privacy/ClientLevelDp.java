/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.algorithm.Aggregator;
import io.github.fedbiot.algorithm.Seeds;
import io.github.fedbiot.algorithm.UpdateTransform;
import io.github.fedbiot.config.PrivacyConfig;
import io.github.fedbiot.metrics.PrivacyStats;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Client-level differential privacy of one run (the {@code privacy} section): the clipping norm C (fixed, or
 * adapted each round as Andrew et al. 2021), the server-side {@link #aggregator} and client-side
 * {@link #clientTransform}, and the epsilon spent after each round ({@link RdpAccountant}).
 *
 * <p>Central DP-FedAvg (McMahan et al. 2018, fixed denominator): with m clients sampled per round out of N, the
 * new adapter is {@code W + (1/m) sum_i clip_C(W_i - W) + N(0, (z_u C / m)^2)}, where {@code z_u = z} for fixed
 * clipping and, for adaptive clipping, {@code z_u = (z^-2 - (2 s_b)^-2)^-1/2} so that the update and the noisy
 * count of clipped updates (noise {@code s_b}) together cost what noise multiplier z costs. Epsilon is that of the
 * Poisson-subsampled Gaussian with {@code q = m / N}. Local DP: each client adds {@code N(0, (z C)^2)} to its
 * own clipped update, and epsilon (against the server, no subsampling) is that of the Gaussian with q = 1 over
 * every round.
 *
 * @see <a href="https://arxiv.org/abs/1905.03871">Andrew et al., Differentially Private Learning with Adaptive
 *     Clipping (NeurIPS 2021)</a>
 */
public final class ClientLevelDp {
    /** The update metric that says whether the client's clipping scaled its update down (Flower's key). */
    public static final String NORM_BIT = "norm_bit";

    private final PrivacyConfig config;
    private final int sampledPerRound;
    private final int population;
    private final Random serverRandom;
    private final RdpAccountant accountant = new RdpAccountant();
    private final double updateNoiseMultiplier;
    private final double countStddev;
    private double clippingNorm;
    private long dimension;
    private PrivacyStats lastRound = PrivacyStats.NONE;

    /**
     * Resolves the mechanism of a configuration.
     *
     * @param config the {@code privacy} section (enabled)
     * @param sampledPerRound m, the clients sampled each round
     * @param population N, all clients
     * @throws ConfigException naming {@code privacy.clipped_count_stddev} when adaptive clipping's count noise
     *     is too small for the noise multiplier
     */
    public ClientLevelDp(PrivacyConfig config, int sampledPerRound, int population) {
        if (sampledPerRound < 1 || population < sampledPerRound) {
            throw new IllegalArgumentException("need 1 <= sampled (" + sampledPerRound + ") <= population ("
                    + population + ")");
        }
        this.config = config;
        this.sampledPerRound = sampledPerRound;
        this.population = population;
        this.clippingNorm = config.clippingNorm();
        this.serverRandom = config.noiseSeed() == null ? new SecureRandom()
                : new Random(Seeds.derive(config.noiseSeed(), "dp-server-noise"));
        double z = config.noiseMultiplier();
        if (config.adaptive() && z > 0) {
            double sb = config.clippedCountStddev() != null ? config.clippedCountStddev() : sampledPerRound / 20.0;
            if (z >= 2 * sb) {
                throw new ConfigException("privacy.clipped_count_stddev", "is " + sb + " (default: sampled clients"
                        + " / 20); it must exceed noise_multiplier / 2 = " + z / 2 + " for adaptive clipping");
            }
            this.countStddev = sb;
            this.updateNoiseMultiplier = Math.pow(Math.pow(z, -2) - Math.pow(2 * sb, -2), -0.5);
        } else {
            this.countStddev = config.clippedCountStddev() != null ? config.clippedCountStddev() : 0;
            this.updateNoiseMultiplier = z;
        }
    }

    /** Returns the configuration. @return the section */
    public PrivacyConfig config() {
        return config;
    }

    /** Returns the clipping norm the next round uses. @return C */
    public double clippingNorm() {
        return clippingNorm;
    }

    /**
     * Continues from a checkpoint: the clipping norm the last completed round ended with (adaptive clipping).
     *
     * @param norm C after that round (NaN or not positive: kept as is)
     */
    public void restoreClippingNorm(double norm) {
        if (norm > 0 && Double.isFinite(norm)) {
            clippingNorm = norm;
        }
    }

    /** Returns the noise multiplier of the update noise (z, or its adaptive share z_u). @return it */
    public double updateNoiseMultiplier() {
        return updateNoiseMultiplier;
    }

    /** Returns the clients sampled each round (the denominator of the aggregate). @return m */
    public int sampledPerRound() {
        return sampledPerRound;
    }

    /**
     * Wraps the server's aggregator: clips the updates (unless only the clients clip, for local DP), averages
     * them with equal weights over m, adds the central noise and adapts C.
     *
     * @param inner the aggregator of the clipped updates (FedAvg for the stated guarantee)
     * @return the private aggregator
     */
    public Aggregator aggregator(Aggregator inner) {
        return new DpAggregator(inner, this);
    }

    /** Returns the clients' transform: clipping on the client and, for local DP, the client's noise. @return it */
    public UpdateTransform clientTransform() {
        return config.clientSide() ? new ClientSidePrivacy(this) : UpdateTransform.NONE;
    }

    /**
     * Returns the privacy after a round.
     *
     * @param round the rounds run so far
     * @return epsilon for the configured delta, with the clipping and noise of the last aggregation
     */
    public PrivacyStats report(int round) {
        double q = config.central() ? (double) sampledPerRound / population : 1.0;
        double epsilon = accountant.epsilon(q, accountedNoiseMultiplier(), round, config.delta());
        return new PrivacyStats(epsilon, lastRound.clippingNorm(), lastRound.noiseStddev(),
                lastRound.clippedUpdates(), clippingNorm);
    }

    /** z for the accountant: the lattice rounding's sensitivity charge, and the adaptive count's share. */
    double accountedNoiseMultiplier() {
        double zu = LatticeGaussianNoise.effectiveNoiseMultiplier(updateNoiseMultiplier, Math.max(1, dimension));
        if (!config.adaptive() || !config.central() || zu == 0) {
            return zu;
        }
        return Math.pow(Math.pow(zu, -2) + Math.pow(2 * countStddev, -2), -0.5);
    }

    void recordAggregation(long elements, double norm, double stddev, int clipped) {
        dimension = elements;
        lastRound = new PrivacyStats(Double.NaN, norm, stddev, clipped, Double.NaN);
    }

    /** Applies the geometric update {@code C <- C exp(-lr (noisy clipped fraction - target))}. */
    void adaptClippingNorm(int clipped, int received) {
        if (!config.adaptive() || received == 0) {
            return;
        }
        double fraction = noise(serverRandom).addTo(clipped, countStddev) / received;
        clippingNorm *= Math.exp(-config.clipNormLr() * (fraction - config.targetClippedQuantile()));
    }

    Random serverRandom() {
        return serverRandom;
    }

    /** The uniform source of one client's local noise in one round. */
    Random clientRandom(String clientId, int round) {
        return config.noiseSeed() == null ? serverRandom
                : new Random(Seeds.forClient(config.noiseSeed(), "dp-local-noise", clientId, round));
    }

    static LatticeGaussianNoise noise(Random random) {
        return new LatticeGaussianNoise(random);
    }
}
