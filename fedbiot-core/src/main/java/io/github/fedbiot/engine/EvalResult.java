/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

/**
 * Summed next-token cross-entropy over the labelled positions of some batches.
 *
 * @param lossSum the sum of per-token losses (nats)
 * @param tokens the number of labelled tokens
 */
public record EvalResult(double lossSum, long tokens) {

    /** Returns the mean per-token loss. @return loss, NaN when no token was labelled */
    public double meanLoss() {
        return tokens == 0 ? Double.NaN : lossSum / tokens;
    }

    /** Returns the perplexity {@code exp(meanLoss)}. @return perplexity */
    public double perplexity() {
        return Math.exp(meanLoss());
    }

    /**
     * Adds two results.
     *
     * @param other another result
     * @return the sum
     */
    public EvalResult plus(EvalResult other) {
        return new EvalResult(lossSum + other.lossSum, tokens + other.tokens);
    }
}
