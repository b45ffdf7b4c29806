/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.data.BatchCollator;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the batches of some optimizer steps from a data stream: per step {@code gradAccum} micro-batches of
 * {@code batchSize} examples, in stream order. Client training and server alignment both feed the engine this
 * way, so they consume their streams alike (which checkpoints and the Flower client's {@code seek} rely on).
 */
public final class StepBatches {
    private final BatchCollator collator;

    /**
     * Creates the drawer.
     *
     * @param collator packs examples into batches
     */
    public StepBatches(BatchCollator collator) {
        this.collator = collator;
    }

    /**
     * Draws the batches of {@code steps} optimizer steps.
     *
     * @param data the stream to read (advanced by {@code steps * gradAccum * batchSize} examples)
     * @param steps optimizer steps
     * @param gradAccum micro-batches per step
     * @param batchSize examples per micro-batch
     * @return one list of micro-batches per step
     */
    public List<List<Batch>> draw(ExampleStream<TokenizedExample> data, int steps, int gradAccum, int batchSize) {
        List<List<Batch>> out = new ArrayList<>(steps);
        for (int s = 0; s < steps; s++) {
            List<Batch> micro = new ArrayList<>(gradAccum);
            for (int m = 0; m < gradAccum; m++) {
                micro.add(collator.collate(data.next(batchSize)));
            }
            out.add(micro);
        }
        return out;
    }

    /**
     * Returns how many examples {@link #draw} takes from the stream.
     *
     * @param steps optimizer steps
     * @param gradAccum micro-batches per step
     * @param batchSize examples per micro-batch
     * @return the example count
     */
    public static long examples(int steps, int gradAccum, int batchSize) {
        return (long) steps * gradAccum * batchSize;
    }
}
