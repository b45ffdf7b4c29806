/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import io.github.fedbiot.engine.GenerationConfig;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Picks the next token from logits on the heap: greedy (arg-max, lowest id on ties) when the temperature is
 * 0; otherwise softmax of {@code logits / temperature} restricted to the top-k tokens and then to the
 * smallest most-likely set whose probability reaches top-p, sampled with a seeded {@link SplittableRandom}.
 */
public final class TokenSampler {
    private final GenerationConfig config;
    private final SplittableRandom rng;

    /**
     * Creates a sampler.
     *
     * @param config the decoding settings (its seed seeds the generator)
     */
    public TokenSampler(GenerationConfig config) {
        this.config = config;
        this.rng = new SplittableRandom(config.seed());
    }

    /**
     * Picks a token.
     *
     * @param logits the logits of the last position
     * @return the token id
     */
    public int next(float[] logits) {
        if (config.temperature() == 0) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        Integer[] order = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparingInt(i -> i));
        int k = config.topK() > 0 ? Math.min(config.topK(), logits.length) : logits.length;
        double max = logits[order[0]] / config.temperature();
        double[] p = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp(logits[order[i]] / config.temperature() - max);
            sum += p[i];
        }
        int keep = k;
        if (config.topP() < 1) {
            double cum = 0;
            for (int i = 0; i < k; i++) {
                cum += p[i] / sum;
                if (cum >= config.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        double total = 0;
        for (int i = 0; i < keep; i++) {
            total += p[i];
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}
