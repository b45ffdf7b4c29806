/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import io.github.fedbiot.engine.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic batches for speed and memory benchmarks: uniform random token ids, the first half of each
 * row unlabelled (a prompt) and the second half labelled (a response). Step time and memory do not depend on
 * the token values, only on the shapes.
 */
final class BenchData {
    private BenchData() {}

    /**
     * Returns one batch.
     *
     * @param vocab the vocabulary size
     * @param batch rows
     * @param seq sequence length
     * @param seed the seed
     * @return the batch
     */
    static Batch batch(int vocab, int batch, int seq, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] tokens = new int[batch * seq];
        int[] labels = new int[batch * seq];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(vocab);
            labels[i] = i % seq < seq / 2 ? Batch.IGNORE : tokens[i];
        }
        return new Batch(batch, seq, tokens, labels, batch);
    }

    /**
     * Returns {@code steps} optimiser steps of one micro-batch each.
     *
     * @param vocab the vocabulary size
     * @param batch rows
     * @param seq sequence length
     * @param steps the step count
     * @param seed the seed
     * @return the steps
     */
    static List<List<Batch>> steps(int vocab, int batch, int seq, int steps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Batch>> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            out.add(List.of(batch(vocab, batch, seq, rng.nextLong())));
        }
        return out;
    }
}
