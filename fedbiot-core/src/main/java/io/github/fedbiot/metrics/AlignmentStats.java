/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

import io.github.fedbiot.engine.AlignResult;

/**
 * The statistics of the server's emulator alignment before a round's broadcast (without the tensors).
 *
 * @param steps alignment steps run
 * @param nl2 mean NL2 term (NaN: no alignment)
 * @param kl mean KL term (NaN: no alignment)
 * @param skippedBatches public micro-batches skipped for a non-finite loss
 */
public record AlignmentStats(int steps, double nl2, double kl, int skippedBatches) {
    /** No alignment ran. */
    public static final AlignmentStats NONE = new AlignmentStats(0, Double.NaN, Double.NaN, 0);

    /**
     * Returns the statistics of an alignment.
     *
     * @param r the result, or null when none ran
     * @return the statistics, {@link #NONE} for null
     */
    public static AlignmentStats of(AlignResult r) {
        return r == null ? NONE : new AlignmentStats(r.steps(), r.meanNl2(), r.meanKl(), r.skippedBatches());
    }
}
