/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/**
 * A client's local training (see {@link LocalTrainRequest}): AdamW on the trainable LoRA with the
 * {@link TrainingLoss} of each micro-batch, LoRA and model dropout seeded from the request.
 */
public final class LocalTraining {
    private final DecoderStack stack;
    private final RequestChecks checks;
    private final boolean checkpointing;

    /**
     * Creates local training over a model's forward pass.
     *
     * @param stack the forward pass
     * @param checks the model's argument checks
     * @param checkpointing whether layers are recomputed in the backward pass ({@link LayerCheckpoints})
     */
    public LocalTraining(DecoderStack stack, RequestChecks checks, boolean checkpointing) {
        this.stack = stack;
        this.checks = checks;
        this.checkpointing = checkpointing;
    }

    /**
     * Trains; the call's arrays live in a sub-manager of the weights that closes before it returns.
     *
     * @param request what to train
     * @return the trained tensors (in the request's order) and statistics
     */
    public LocalTrainResult train(LocalTrainRequest request) {
        LoraSpec ls = checks.lora(request.lora());
        checks.stack(request.stack());
        checks.steps(request.steps());
        if (!(request.proximalWeight() >= 0) || Double.isInfinite(request.proximalWeight())) {
            throw new IllegalArgumentException("proximal weight must be finite and >= 0, got "
                    + request.proximalWeight());
        }
        if (request.trainableLora().isEmpty()) {
            throw new IllegalArgumentException("trainable LoRA is empty: there is nothing to train");
        }
        RequestChecks.requireLayers(request.trainableLora(), request.stack(), "trainable LoRA");
        return TrainingLock.exclusively(() -> run(request, ls));
    }

    private LocalTrainResult run(LocalTrainRequest request, LoraSpec ls) {
        ModelSpec spec = stack.weights().spec();
        try (NDManager m = stack.weights().manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, request.frozenLora(), request.trainableLora(), request.seed());
            double mu = request.proximalWeight();
            List<NDArray> start = mu > 0 ? TrainingLoss.anchor(m, set, request.trainableLora()) : List.of();
            AdamW opt = new AdamW(request.optimizer(), set.trainableArrays(), m);
            TrainingLoss loss = new TrainingLoss(stack, request.stack(), set, start, mu, request.proximalGradient(),
                    checkpointing);
            ModelDropout dropout = ModelDropout.forTraining(spec, request.seed());
            StepLoop.Totals t = StepLoop.run(request.steps(), opt, request.observer(), (batch, step, micro) -> {
                Losses.Targets tg = Losses.targets(batch, spec.vocabSize());
                return tg.count() == 0 ? null : loss.of(m, batch, tg, true, dropout.at(step, micro));
            });
            NamedTensors out = set.trainableToHeap(request.trainableLora());
            return new LocalTrainResult(out, t.samples(), opt.steps(), t.firstMean(), t.secondMean(), t.skipped());
        }
    }
}
