/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.github.fedbiot.djl.internal.DecoderStack;
import io.github.fedbiot.djl.internal.LoraSet;
import io.github.fedbiot.djl.internal.Losses;
import io.github.fedbiot.djl.internal.ModelDropout;
import io.github.fedbiot.djl.internal.RequestChecks;
import io.github.fedbiot.djl.internal.TrainingLock;
import io.github.fedbiot.djl.internal.StepLoop;
import io.github.fedbiot.djl.internal.TrainingLoss;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.List;

/**
 * Looks inside a {@link DjlBaseModel} for tests: its frozen weights, its native array count, hidden states
 * before the head, and one micro-batch's training loss with its gradient (for gradient checks).
 */
final class DjlModelProbe {
    private DjlModelProbe() {}

    /** A loss value and the gradient of the trainable tensors. */
    record LossAndGradient(double loss, NamedTensors gradient) {}

    /** Copies the frozen base weights to the heap in Hugging Face layout (e.g. to check they never change). */
    static NamedTensors baseWeights(DjlBaseModel model) {
        return model.decoderStack().weights().toHeap();
    }

    /**
     * Returns how many native arrays the base manager holds, sub-managers included; it stays constant across
     * calls unless a call leaks.
     */
    static int nativeArrayCount(DjlBaseModel model) {
        return model.decoderStack().weights().managedArrayCount();
    }

    /** Returns the native bytes of the frozen weights. */
    static long weightBytes(DjlBaseModel model) {
        return model.decoderStack().weights().bytes();
    }

    /** Returns the format each frozen weight is held in. */
    static java.util.Map<String, io.github.fedbiot.engine.WeightFormat> weightFormats(DjlBaseModel model) {
        return model.decoderStack().weights().formats();
    }

    /** Returns the hidden states after {@code layers} (before the final norm), in eval mode, as B*T*d floats. */
    static float[] hiddenStates(DjlBaseModel model, List<Integer> layers, LoraSpec lora, NamedTensors loraTensors,
            int[] tokens, int batchSize, int seqLen) {
        DecoderStack stack = model.decoderStack();
        RequestChecks checks = new RequestChecks(model.spec());
        LoraSpec ls = checks.lora(lora);
        checks.stack(layers);
        checks.tokens(tokens, batchSize, seqLen);
        try (NDManager m = stack.weights().manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, model.spec(), ls, loraTensors, NamedTensors.empty(), 0);
            return stack.forward(m, tokens, batchSize, seqLen, layers, set, false, ModelDropout.NONE).toFloatArray();
        }
    }

    /**
     * Computes one micro-batch's training loss and its gradient with respect to the trainable LoRA, without
     * dropout and without updating anything.
     *
     * @param start the proximal anchor (LoRA at the start of the round)
     * @param mu the proximal weight
     * @param proximalGradient whether the proximal term has a gradient
     */
    static LossAndGradient lossAndGradient(DjlBaseModel model, List<Integer> layers, LoraSpec lora,
            NamedTensors frozen, NamedTensors trainable, NamedTensors start, Batch batch, double mu,
            boolean proximalGradient) {
        return lossAndGradient(model, layers, lora, frozen, trainable, start, batch, mu, proximalGradient, false);
    }

    /** As above, with the layers recomputed in the backward pass when {@code checkpointing}. */
    static LossAndGradient lossAndGradient(DjlBaseModel model, List<Integer> layers, LoraSpec lora,
            NamedTensors frozen, NamedTensors trainable, NamedTensors start, Batch batch, double mu,
            boolean proximalGradient, boolean checkpointing) {
        DecoderStack stack = model.decoderStack();
        ModelSpec spec = model.spec();
        RequestChecks checks = new RequestChecks(spec);
        LoraSpec ls = checks.lora(lora);
        checks.stack(layers);
        checks.batch(batch);
        return TrainingLock.exclusively(() -> {
            try (NDManager m = stack.weights().manager().newSubManager(); NDScope scope = new NDScope()) {
                LoraSet set = LoraSet.build(m, spec, ls, frozen, trainable, 0);
                LoraSet.validate(spec, ls, start, "proximal anchor");
                List<NDArray> anchor = mu > 0 ? TrainingLoss.anchor(m, set, start) : List.of();
                TrainingLoss loss = new TrainingLoss(stack, layers, set, anchor, mu, proximalGradient, checkpointing);
                Losses.Targets tg = Losses.targets(batch, spec.vocabSize());
                double value;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    StepLoop.MicroLoss ml = loss.of(m, batch, tg, false, ModelDropout.NONE);
                    NDArray l = ml.loss();
                    value = l.getFloat();
                    gc.backward(l);
                    if (ml.afterBackward() != null) {
                        ml.afterBackward().run();
                    }
                }
                NamedTensors.Builder b = NamedTensors.builder();
                for (LoraSet.Module mod : set.trainable()) {
                    b.add(mod.nameA(), new Tensor(trainable.get(mod.nameA()).shape(),
                            mod.a().getGradient().toFloatArray()));
                    b.add(mod.nameB(), new Tensor(trainable.get(mod.nameB()).shape(),
                            mod.b().getGradient().toFloatArray()));
                }
                return new LossAndGradient(value, b.build());
            }
        });
    }
}
