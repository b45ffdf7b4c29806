/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.algorithm.SeedStream;
import io.github.fedbiot.config.FederationConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses the clients of each round and which of them drop out. Every draw is seeded from the root seed and the
 * round alone, so a resumed run samples exactly what the uninterrupted run sampled.
 */
public final class ClientSampler {
    private final FederationConfig config;
    private final long seed;

    /**
     * Creates a sampler.
     *
     * @param config the federation section
     * @param seed the root seed
     */
    public ClientSampler(FederationConfig config, long seed) {
        this.config = config;
        this.seed = seed;
    }

    /**
     * Returns how many clients a round samples.
     *
     * @param available the number of clients
     * @return {@code sample_count} (at most all), else {@code round(sample_fraction * n)}, at least 1
     */
    public int sampleSize(int available) {
        int k = config.sampleCount() > 0 ? config.sampleCount()
                : (int) Math.round(config.sampleFraction() * available);
        return Math.max(1, Math.min(available, k));
    }

    /**
     * Samples the clients of a round without replacement.
     *
     * @param ids all client ids
     * @param round the round
     * @return the sampled ids, in the order of {@code ids}
     */
    public List<String> sample(List<String> ids, int round) {
        int k = sampleSize(ids.size());
        if (k == ids.size()) {
            return List.copyOf(ids);
        }
        SplittableRandom rng = new SplittableRandom(SeedStream.SAMPLING.derive(seed, round));
        boolean[] chosen = new boolean[ids.size()];
        for (int picked = 0; picked < k;) {
            int i = rng.nextInt(ids.size());
            if (!chosen[i]) {
                chosen[i] = true;
                picked++;
            }
        }
        List<String> out = new ArrayList<>(k);
        for (int i = 0; i < ids.size(); i++) {
            if (chosen[i]) {
                out.add(ids.get(i));
            }
        }
        return out;
    }

    /**
     * Returns whether a sampled client drops out of a round (it then sends nothing).
     *
     * @param clientId the client
     * @param round the round
     * @return true with probability {@code dropout_probability}
     */
    public boolean dropsOut(String clientId, int round) {
        if (config.dropoutProbability() <= 0) {
            return false;
        }
        return new SplittableRandom(SeedStream.DROPOUT.forClient(seed, clientId, round)).nextDouble()
                < config.dropoutProbability();
    }
}
