/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.engine.Batch;

/**
 * The losses of training and alignment:
 * <pre>
 * CE  = -mean over labelled targets of log softmax(logits[b, t-1])[labels[b, t]]   (labels shifted here)
 * NL2 = mean(((h_T - h_E) / sqrt(mean(h_T^2)))^2)
 * KL  = mean over positions of sum_v p_full (log p_full - log p_comp)
 * </pre>
 * The LM head runs only on positions that have a target, so masked prompt tokens cost nothing.
 */
public final class Losses {
    private Losses() {}

    /**
     * The next-token targets of a batch after the causal shift.
     *
     * @param source row-major index {@code b * T + t - 1} of the position that predicts each target
     * @param label the target token of each
     * @param row the batch row of each
     */
    public record Targets(long[] source, int[] label, int[] row) {
        /**
         * Returns the number of targets.
         *
         * @return the count
         */
        public int count() {
            return label.length;
        }
    }

    /**
     * Collects the targets of a batch.
     *
     * @param batch the batch
     * @param vocab the vocabulary size (labels are checked against it)
     * @return the targets
     * @throws IllegalArgumentException for a label outside {@code [0, vocab)} that is not {@link Batch#IGNORE}
     */
    public static Targets targets(Batch batch, int vocab) {
        int n = batch.targetCount();
        long[] src = new long[n];
        int[] lab = new int[n];
        int[] row = new int[n];
        int i = 0;
        int t1 = batch.seqLen();
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 1; t < t1; t++) {
                int l = batch.labels()[b * t1 + t];
                if (l == Batch.IGNORE) {
                    continue;
                }
                if (l < 0 || l >= vocab) {
                    throw new IllegalArgumentException("label " + l + " at row " + b + ", position " + t
                            + " is outside the vocabulary [0, " + vocab + ") and is not " + Batch.IGNORE);
                }
                src[i] = (long) b * t1 + t - 1;
                lab[i] = l;
                row[i] = b;
                i++;
            }
        }
        return new Targets(src, lab, row);
    }

    /**
     * Returns the log-probability of every target.
     *
     * @param stack the forward pass (final norm and head)
     * @param hidden the last hidden states {@code [B, T, d]}
     * @param targets the targets (at least one)
     * @return {@code [n]} log-probabilities
     */
    public static NDArray targetLogProbs(DecoderStack stack, NDArray hidden, Targets targets) {
        NDManager m = hidden.getManager();
        Shape s = hidden.getShape();
        NDArray flat = hidden.reshape(s.get(0) * s.get(1), s.get(2));
        NDArray idx = m.create(targets.source());
        NDArray selected = flat.get(new NDIndex("{}", idx));
        NDArray logp = stack.logits(selected).logSoftmax(-1);
        NDArray lab = m.create(targets.label(), new Shape(targets.count(), 1));
        return logp.gather(lab, 1).reshape(targets.count());
    }

    /**
     * Returns the NL2 distance of the emulator's output from the teacher's.
     *
     * @param teacher h_T (no gradient)
     * @param emulator h_E
     * @return a scalar
     */
    public static NDArray nl2(NDArray emulator, NDArray teacher) {
        NDArray scale = teacher.square().mean();
        return emulator.sub(teacher).square().mean().div(scale);
    }

    /**
     * Returns {@code KL(full || comp)} summed over the vocabulary and averaged over positions.
     *
     * @param compLogits the compressed model's logits {@code [..., V]}
     * @param fullLogits the full model's logits {@code [..., V]} (no gradient)
     * @return a scalar
     */
    public static NDArray kl(NDArray compLogits, NDArray fullLogits) {
        NDArray lc = compLogits.logSoftmax(-1);
        NDArray lf = fullLogits.logSoftmax(-1);
        return lf.exp().mul(lf.sub(lc)).sum(new int[] {-1}).mean();
    }
}
