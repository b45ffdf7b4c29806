/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

import io.github.fedbiot.algorithm.EvalScores;

/**
 * The held-out scores of one model (AdapEmu or AdapFu) in a round.
 *
 * @param loss held-out loss (NaN: not evaluated this round)
 * @param perplexity held-out perplexity
 * @param exactMatch exact match of generated answers (NaN: not measured)
 */
public record HeldOutScores(double loss, double perplexity, double exactMatch) {
    /** Not evaluated this round. */
    public static final HeldOutScores NONE = new HeldOutScores(Double.NaN, Double.NaN, Double.NaN);

    /**
     * Returns the recorded part of an evaluation.
     *
     * @param s the scores, or null when not evaluated
     * @return the recorded scores, {@link #NONE} for null
     */
    public static HeldOutScores of(EvalScores s) {
        return s == null ? NONE : new HeldOutScores(s.loss(), s.perplexity(), s.exactMatch());
    }
}
