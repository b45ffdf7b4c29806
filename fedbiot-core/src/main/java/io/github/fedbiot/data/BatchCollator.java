/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.engine.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packs tokenized examples into right-padded {@link Batch}es: each row is padded with the pad id to the longest
 * row of its batch; labels equal the tokens on response positions (response tokens and EOS) and are
 * {@link Batch#IGNORE} on prompt and padding positions, so the loss covers the response only.
 */
public final class BatchCollator {
    private final int padId;

    /**
     * Creates a collator.
     *
     * @param padId the padding token id
     */
    public BatchCollator(int padId) {
        this.padId = padId;
    }

    /**
     * Packs examples into one batch.
     *
     * @param examples at least one example
     * @return the batch, {@code samples} = the number of examples
     */
    public Batch collate(List<TokenizedExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one example");
        }
        int seqLen = examples.stream().mapToInt(e -> e.tokens().length).max().orElseThrow();
        int rows = examples.size();
        int[] tokens = new int[rows * seqLen];
        int[] labels = new int[rows * seqLen];
        Arrays.fill(tokens, padId);
        Arrays.fill(labels, Batch.IGNORE);
        for (int b = 0; b < rows; b++) {
            TokenizedExample e = examples.get(b);
            int[] t = e.tokens();
            System.arraycopy(t, 0, tokens, b * seqLen, t.length);
            for (int i = e.promptLength(); i < t.length; i++) {
                labels[b * seqLen + i] = t[i];
            }
        }
        return new Batch(rows, seqLen, tokens, labels, rows);
    }

    /**
     * Packs examples into consecutive batches of at most {@code batchSize} rows, in order.
     *
     * @param examples the examples
     * @param batchSize rows per batch
     * @return the batches (the last one may be smaller)
     */
    public List<Batch> collateAll(List<TokenizedExample> examples, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1 (found " + batchSize + ")");
        }
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < examples.size(); i += batchSize) {
            out.add(collate(examples.subList(i, Math.min(examples.size(), i + batchSize))));
        }
        return out;
    }
}
