/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.List;

/**
 * The loss of one micro-batch of local training: the mean next-token cross-entropy plus, when
 * {@code mu > 0}, FedProx's proximal term on the merged LoRA update,
 * <pre>
 *   CE + mu * sum_modules ||s B A - s B0 A0||_F^2
 * </pre>
 * where {@code B0 A0} is the trainable LoRA at the start of the call. With {@code proximalGradient} false the
 * term is added to the reported loss but has no gradient.
 */
public final class TrainingLoss {
    private final DecoderStack stack;
    private final List<Integer> layers;
    private final LoraSet lora;
    private final List<NDArray> anchor;
    private final double mu;
    private final boolean proximalGradient;
    private final boolean checkpointing;

    /**
     * Creates the loss of a training call.
     *
     * @param stack the model's forward pass
     * @param layers the decoder layers to run
     * @param lora the frozen and trainable LoRA
     * @param anchor {@link #anchor} of the trainable LoRA (empty when {@code mu} is 0)
     * @param mu the proximal weight, finite and &gt;= 0
     * @param proximalGradient whether the proximal term has a gradient
     * @param checkpointing whether the layers are recomputed in the backward pass ({@link LayerCheckpoints})
     */
    public TrainingLoss(DecoderStack stack, List<Integer> layers, LoraSet lora, List<NDArray> anchor, double mu,
            boolean proximalGradient, boolean checkpointing) {
        this.checkpointing = checkpointing;
        this.stack = stack;
        this.layers = layers;
        this.lora = lora;
        this.anchor = anchor;
        this.mu = mu;
        this.proximalGradient = proximalGradient;
    }

    /**
     * Returns {@code s B0 A0} of every trainable module, the proximal term's fixed point.
     *
     * @param m the call's manager
     * @param set the LoRA whose trainable modules are anchored
     * @param start the trainable LoRA at the start of the call
     * @return one array per trainable module, in {@link LoraSet#trainable()} order
     */
    public static List<NDArray> anchor(NDManager m, LoraSet set, NamedTensors start) {
        List<NDArray> out = new ArrayList<>();
        for (LoraSet.Module mod : set.trainable()) {
            NDArray b0 = m.create(start.get(mod.nameB()).data(), mod.b().getShape());
            NDArray a0 = m.create(start.get(mod.nameA()).data(), mod.a().getShape());
            out.add(set.merged(a0, b0));
        }
        return out;
    }

    /**
     * Builds the loss of a micro-batch.
     *
     * @param m the call's manager
     * @param batch the micro-batch
     * @param targets its labelled positions
     * @param training whether LoRA dropout is active
     * @param dropout the model's dropout of this micro-batch
     * @return the loss, with the cross-entropy and the proximal term (null when mu is 0) as statistics
     */
    public StepLoop.MicroLoss of(NDManager m, Batch batch, Losses.Targets targets, boolean training,
            ModelDropout dropout) {
        LayerCheckpoints cp = checkpointing ? new LayerCheckpoints(stack) : null;
        NDArray h;
        if (cp == null) {
            h = stack.forward(m, batch, layers, lora, training, dropout);
        } else {
            ForwardContext ctx = stack.context(m, batch.batchSize(), batch.seqLen(), 0, training, dropout);
            h = cp.run(stack.embed(m, batch.tokens(), ctx), layers, lora, ctx);
        }
        Runnable after = cp == null ? null : cp::backward;
        NDArray ce = Losses.targetLogProbs(stack, h, targets).mean().neg();
        if (mu <= 0) {
            return new StepLoop.MicroLoss(ce, ce, null, after);
        }
        NDArray prox = proximal();
        prox = prox.muli(Ops.scalar(prox, (float) mu));
        return new StepLoop.MicroLoss(ce.add(proximalGradient ? prox : prox.stopGradient()), ce, prox, after);
    }

    /** Returns {@code sum_modules ||s B A - s B0 A0||_F^2} (differentiable in A and B). */
    private NDArray proximal() {
        List<LoraSet.Module> modules = lora.trainable();
        NDArray total = null;
        for (int i = 0; i < modules.size(); i++) {
            LoraSet.Module mod = modules.get(i);
            NDArray d = lora.merged(mod.a(), mod.b()).subi(anchor.get(i));
            NDArray sq = d.square().sum();
            total = total == null ? sq : total.add(sq);
        }
        return total;
    }
}
