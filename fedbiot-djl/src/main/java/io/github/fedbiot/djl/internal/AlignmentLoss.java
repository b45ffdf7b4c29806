/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.model.LayerPlan;
import java.util.List;

/**
 * The loss of one micro-batch of emulator alignment (FedBiOT, Eq. 2): {@code NL2(h_E, h_T) + lambda
 * KL(M || C)}. {@code h_in} is the embeddings run through the adapter layers before the teacher; {@code h_E}
 * the emulator layers on {@code h_in} with the trainable emulator LoRA; {@code h_T} the teacher layers on the
 * same {@code h_in}, without LoRA. For the KL term both run through the adapter layers after the teacher and
 * the head.
 *
 * <p>The compressed model (the student) runs in training mode, with the config's dropout. The frozen teacher
 * gives the targets and runs without it, as the reference code runs it ({@code raw_model.teacher.eval()} for
 * {@code h_T}, on the student's {@code h_in}; {@code raw_model.eval()} for the full model's logits, from the
 * tokens). So when that dropout changed {@code h_in} (GPT-2's {@code embd_pdrop}, or adapter layers before the
 * teacher), the full model's {@code h_in} and teacher layers are run again without it. LoRA dropout is not the
 * config's dropout: it applies to every adapted module in the pass, the teacher side's adapter layers included,
 * as before model dropout existed.
 */
public final class AlignmentLoss {
    private final DecoderStack stack;
    private final LayerPlan plan;
    private final List<Integer> before;
    private final List<Integer> after;
    private final LoraSet lora;
    private final double klWeight;
    private final boolean checkpointing;

    /**
     * Creates the loss of an alignment call.
     *
     * @param stack the model's forward pass
     * @param plan the layer plan (it has an emulator)
     * @param lora the frozen adapter LoRA and the trainable emulator LoRA
     * @param klWeight lambda; 0 skips the KL term and the head
     * @param checkpointing whether the student's layers are recomputed in the backward pass
     *     ({@link LayerCheckpoints}); the rest has no graph anyway
     */
    public AlignmentLoss(DecoderStack stack, LayerPlan plan, LoraSet lora, double klWeight, boolean checkpointing) {
        this.checkpointing = checkpointing;
        this.stack = stack;
        this.plan = plan;
        this.lora = lora;
        this.klWeight = klWeight;
        this.before = plan.adapterLayersBeforeTeacher();
        this.after = plan.adapterLayersAfterTeacher();
    }

    /**
     * Builds the loss of a micro-batch.
     *
     * @param m the call's manager
     * @param batch the micro-batch
     * @param dropout the config's dropout of this micro-batch's student pass
     * @return the loss, with NL2 and the KL (null when lambda is 0) as statistics
     */
    public StepLoop.MicroLoss of(NDManager m, Batch batch, ModelDropout dropout) {
        ForwardContext ctx = stack.context(m, batch.batchSize(), batch.seqLen(), 0, true, dropout);
        ForwardContext teacher = ctx.withoutModelDropout(); // ctx itself when there is no dropout
        LayerCheckpoints cp = checkpointing ? new LayerCheckpoints(stack) : null;
        Runnable recompute = cp == null ? null : cp::backward;
        NDArray in = stack.run(stack.embed(m, batch.tokens(), ctx), before, lora, ctx, null);
        NDArray hE = cp == null ? stack.run(in, plan.emulatorLayers(), lora, ctx, null)
                : cp.run(in, plan.emulatorLayers(), lora, ctx);
        NDArray hT = stack.run(in, plan.teacherLayers(), LoraSet.none(), teacher, null);
        NDArray nl2 = Losses.nl2(hE, hT);
        if (klWeight == 0) {
            return new StepLoop.MicroLoss(nl2, nl2, null, recompute);
        }
        NDArray fullIn = hT;
        if (dropout.changes(before)) {
            NDArray inEval = stack.run(stack.embed(m, batch.tokens(), teacher), before, lora, teacher, null);
            fullIn = stack.run(inEval, plan.teacherLayers(), LoraSet.none(), teacher, null);
        }
        NDArray full = stack.logits(stack.run(fullIn, this.after, lora, teacher, null));
        NDArray comp = stack.logits(cp == null ? stack.run(hE, this.after, lora, ctx, null)
                : cp.run(hE, this.after, lora, ctx));
        NDArray kl = Losses.kl(comp, full);
        return new StepLoop.MicroLoss(nl2.add(kl.mul(Ops.scalar(kl, (float) klWeight))), nl2, kl, recompute);
    }
}
