/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import java.util.Arrays;

/**
 * A right-padded batch of token sequences for causal language modelling.
 *
 * <p>{@code labels[b * seqLen + t]} is the token the model should predict <em>at</em> position {@code t}
 * (Hugging Face convention: labels are aligned with inputs and shifted inside the loss), or
 * {@link #IGNORE} for prompt and padding positions, which add nothing to the loss.
 *
 * @param batchSize B
 * @param seqLen T
 * @param tokens B*T token ids, row-major
 * @param labels B*T labels, row-major
 * @param samples how many real examples the batch holds (for FedAvg weights)
 */
public record Batch(int batchSize, int seqLen, int[] tokens, int[] labels, int samples) {
    /** The label value that the loss ignores (as PyTorch's {@code ignore_index}). */
    public static final int IGNORE = -100;

    /** Validates the sizes. */
    public Batch {
        if (batchSize <= 0 || seqLen <= 0 || tokens.length != batchSize * seqLen
                || labels.length != batchSize * seqLen) {
            throw new IllegalArgumentException("batch of " + batchSize + "x" + seqLen + " needs "
                    + (batchSize * seqLen) + " tokens and labels, got " + tokens.length + " and " + labels.length);
        }
    }

    /** Returns how many labels count towards the loss (after the causal shift). @return the count */
    public int targetCount() {
        int n = 0;
        for (int b = 0; b < batchSize; b++) {
            for (int t = 1; t < seqLen; t++) {
                if (labels[b * seqLen + t] != IGNORE) {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "Batch[" + batchSize + "x" + seqLen + ", samples=" + samples + ", tokens="
                + Arrays.toString(Arrays.copyOf(tokens, Math.min(8, tokens.length))) + "...]";
    }
}
