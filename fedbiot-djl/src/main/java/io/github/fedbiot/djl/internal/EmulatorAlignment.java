/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;

/**
 * The server's emulator alignment (see {@link AlignRequest}): AdamW on the emulator LoRA with the
 * {@link AlignmentLoss} of each micro-batch, the adapter LoRA frozen.
 */
public final class EmulatorAlignment {
    private final DecoderStack stack;
    private final RequestChecks checks;
    private final boolean checkpointing;

    /**
     * Creates alignment over a model's forward pass.
     *
     * @param stack the forward pass
     * @param checks the model's argument checks
     * @param checkpointing whether layers are recomputed in the backward pass ({@link LayerCheckpoints})
     */
    public EmulatorAlignment(DecoderStack stack, RequestChecks checks, boolean checkpointing) {
        this.stack = stack;
        this.checks = checks;
        this.checkpointing = checkpointing;
    }

    /**
     * Aligns; the call's arrays live in a sub-manager of the weights that closes before it returns.
     *
     * @param request what to align
     * @return the trained emulator LoRA (in the request's order) and statistics
     */
    public AlignResult align(AlignRequest request) {
        ModelSpec spec = stack.weights().spec();
        LayerPlan plan = request.plan();
        if (plan.numLayers() != spec.numLayers()) {
            throw new IllegalArgumentException("layer plan is for " + plan.numLayers() + " layers but the model has "
                    + spec.numLayers());
        }
        if (!plan.hasEmulator()) {
            throw new IllegalArgumentException("layer plan has no emulator (full-model plan): nothing to align");
        }
        if (!(request.klWeight() >= 0) || Double.isInfinite(request.klWeight())) {
            throw new IllegalArgumentException("KL weight must be finite and >= 0, got " + request.klWeight());
        }
        LoraSpec ls = checks.lora(request.lora());
        checks.steps(request.steps());
        if (request.emulatorLora().isEmpty()) {
            throw new IllegalArgumentException("emulator LoRA is empty: there is nothing to align");
        }
        RequestChecks.requireLayers(request.emulatorLora(), plan.emulatorLayers(), "emulator LoRA");
        RequestChecks.requireLayers(request.adapterLora(), plan.adapterLayers(), "adapter LoRA");
        return TrainingLock.exclusively(() -> run(request, ls));
    }

    private AlignResult run(AlignRequest request, LoraSpec ls) {
        ModelSpec spec = stack.weights().spec();
        try (NDManager m = stack.weights().manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, request.adapterLora(), request.emulatorLora(), request.seed());
            AdamW opt = new AdamW(request.optimizer(), set.trainableArrays(), m);
            AlignmentLoss loss = new AlignmentLoss(stack, request.plan(), set, request.klWeight(), checkpointing);
            ModelDropout dropout = ModelDropout.forTraining(spec, request.seed());
            StepLoop.Totals t = StepLoop.run(request.steps(), opt, request.observer(),
                    (batch, step, micro) -> loss.of(m, batch, dropout.at(step, micro)));
            NamedTensors out = set.trainableToHeap(request.emulatorLora());
            return new AlignResult(out, opt.steps(), t.firstMean(), t.secondMean(), t.skipped());
        }
    }
}
