/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

/**
 * Scores of one model on held-out examples.
 *
 * @param loss mean next-token cross-entropy over the response tokens (nats)
 * @param perplexity {@code exp(loss)}
 * @param exactMatch share of generated answers whose extracted number equals the reference's (NaN: not measured)
 * @param tokens response tokens scored
 * @param generated examples generated for exact match
 */
public record EvalScores(double loss, double perplexity, double exactMatch, long tokens, int generated) {}
