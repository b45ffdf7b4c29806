/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.StepObserver;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimizer loop that local training and emulator alignment share: each step accumulates the gradients of
 * its micro-batches (each loss divided by the number of micro-batches), then applies one AdamW update. A
 * micro-batch whose loss is not finite is skipped; a step whose accumulated gradient is not finite applies no
 * update, and its micro-batches count as skipped. Arrays of a micro-batch are freed when it ends.
 */
public final class StepLoop {
    private static final Logger logger = LoggerFactory.getLogger(StepLoop.class);

    /**
     * The loss of one micro-batch and two statistics the caller averages over the micro-batches used.
     *
     * @param loss the scalar to differentiate
     * @param first the first statistic (e.g. cross-entropy or NL2)
     * @param second the second statistic (e.g. proximal term or KL), or null for 0
     * @param afterBackward run right after the loss's backward pass, inside the gradient collector (the
     *     recomputed layers of {@link LayerCheckpoints#backward}), or null
     */
    public record MicroLoss(NDArray loss, NDArray first, NDArray second, Runnable afterBackward) {
        /**
         * A loss whose backward pass is the whole graph.
         *
         * @param loss the scalar to differentiate
         * @param first the first statistic
         * @param second the second statistic, or null for 0
         */
        public MicroLoss(NDArray loss, NDArray first, NDArray second) {
            this(loss, first, second, null);
        }
    }

    /**
     * What a run of the loop used and skipped.
     *
     * @param used micro-batches whose gradients were applied
     * @param skipped micro-batches skipped (no target, non-finite loss, or part of a non-finite step)
     * @param samples samples in the used micro-batches
     * @param firstMean mean of the first statistic over the used micro-batches (NaN if none)
     * @param secondMean mean of the second statistic over the used micro-batches (0 if none)
     */
    public record Totals(int used, int skipped, int samples, double firstMean, double secondMean) {}

    /** The loss of a micro-batch, told where it stands so that its dropout masks can depend on it. */
    @FunctionalInterface
    public interface MicroBatchLoss {
        /**
         * Builds the loss; called inside the micro-batch's scope and a gradient collector.
         *
         * @param batch the micro-batch
         * @param step the optimizer step, from 0
         * @param microBatch the micro-batch within the step, from 0
         * @return the loss, or null to skip the micro-batch (e.g. it has no target)
         */
        MicroLoss apply(Batch batch, int step, int microBatch);
    }

    private StepLoop() {}

    /**
     * Runs the steps.
     *
     * @param steps the micro-batches of each step
     * @param optimizer the optimizer of the trainable arrays
     * @param observer told after each step, skipped ones too
     * @param lossOf the loss of a micro-batch
     * @return the totals
     */
    public static Totals run(List<List<Batch>> steps, AdamW optimizer, StepObserver observer,
            MicroBatchLoss lossOf) {
        int used = 0;
        int skipped = 0;
        int samples = 0;
        double firstSum = 0;
        double secondSum = 0;
        for (int stepIndex = 0; stepIndex < steps.size(); stepIndex++) {
            List<Batch> step = steps.get(stepIndex);
            int usedHere = 0;
            int samplesHere = 0;
            double firstHere = 0;
            double secondHere = 0;
            try (NDScope stepScope = new NDScope()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    for (int micro = 0; micro < step.size(); micro++) {
                        Batch batch = step.get(micro);
                        try (NDScope mb = new NDScope()) {
                            MicroLoss l = lossOf.apply(batch, stepIndex, micro);
                            if (l == null) {
                                skipped++;
                                continue;
                            }
                            float value = l.loss().getFloat();
                            if (!Float.isFinite(value)) {
                                skipped++;
                                logger.debug("skipping a micro-batch with non-finite loss {}", value);
                                continue;
                            }
                            gc.backward(step.size() == 1 ? l.loss() : l.loss().div(Ops.scalar(l.loss(), step.size())));
                            if (l.afterBackward() != null) {
                                l.afterBackward().run();
                            }
                            firstHere += l.first().getFloat();
                            secondHere += l.second() == null ? 0 : l.second().getFloat();
                            samplesHere += batch.samples();
                            usedHere++;
                        }
                    }
                }
                if (usedHere > 0 && optimizer.step()) {
                    used += usedHere;
                    samples += samplesHere;
                    firstSum += firstHere;
                    secondSum += secondHere;
                } else if (usedHere > 0) {
                    logger.debug("skipping an optimizer step whose gradient is not finite");
                    skipped += usedHere;
                }
            }
            observer.onSteps(1);
        }
        return new Totals(used, skipped, samples, used == 0 ? Double.NaN : firstSum / used,
                used == 0 ? 0 : secondSum / used);
    }
}
