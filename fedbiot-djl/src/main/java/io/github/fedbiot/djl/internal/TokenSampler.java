/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import io.github.fedbiot.engine.GenerationConfig;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
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
     * Returns the token ids to sample from, most likely first (ties: lower id first): all ids when neither
     * top-k nor top-p restricts them (unsorted then, except the first being the most likely), else the top k.
     */
    private static int[] candidates(float[] logits, int topK, boolean needOrder) {
        int v = logits.length;
        Comparator<Integer> better = Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparingInt(i -> i);
        if (topK > 0 && topK < v) {
            PriorityQueue<Integer> worstFirst = new PriorityQueue<>(topK + 1, better.reversed());
            for (int i = 0; i < v; i++) {
                worstFirst.add(i);
                if (worstFirst.size() > topK) {
                    worstFirst.poll();
                }
            }
            Integer[] top = worstFirst.toArray(new Integer[0]);
            Arrays.sort(top, better);
            return Arrays.stream(top).mapToInt(Integer::intValue).toArray();
        }
        if (needOrder) {
            Integer[] all = IntStream.range(0, v).boxed().toArray(Integer[]::new);
            Arrays.sort(all, better);
            return Arrays.stream(all).mapToInt(Integer::intValue).toArray();
        }
        int[] all = IntStream.range(0, v).toArray();
        int best = 0;
        for (int i = 1; i < v; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        all[0] = best;
        all[best] = 0;
        return all;
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
        int[] order = candidates(logits, config.topK(), config.topP() < 1);
        int k = order.length;
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
