/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.EvalResult;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/**
 * Forward passes without gradients, in eval mode (no dropout): summed next-token loss, per-row
 * log-likelihoods and raw logits. Calls run concurrently; each builds its arrays in its own sub-manager.
 */
public final class Evaluation {
    private final DecoderStack stack;
    private final RequestChecks checks;

    /**
     * Creates evaluation over a model's forward pass.
     *
     * @param stack the forward pass
     * @param checks the model's argument checks
     */
    public Evaluation(DecoderStack stack, RequestChecks checks) {
        this.stack = stack;
        this.checks = checks;
    }

    /**
     * Sums the next-token loss over labelled positions; batches without a label are skipped.
     *
     * @param layers the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply
     * @param batches the data
     * @return summed loss and token count
     */
    public EvalResult evaluate(List<Integer> layers, LoraSpec lora, NamedTensors loraTensors, List<Batch> batches) {
        LoraSpec ls = checks.lora(lora);
        checks.stack(layers);
        batches.forEach(checks::batch);
        ModelSpec spec = spec();
        EvalResult total = new EvalResult(0, 0);
        try (NDManager m = stack.weights().manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, loraTensors, NamedTensors.empty(), 0);
            for (Batch batch : batches) {
                Losses.Targets tg = Losses.targets(batch, spec.vocabSize());
                if (tg.count() == 0) {
                    continue;
                }
                try (NDScope mb = new NDScope()) {
                    NDArray h = stack.forward(m, batch, layers, set, false, ModelDropout.NONE);
                    double sum = 0;
                    for (float v : Losses.targetLogProbs(stack, h, tg).toFloatArray()) {
                        sum -= v;
                    }
                    total = total.plus(new EvalResult(sum, tg.count()));
                }
            }
        }
        return total;
    }

    /**
     * Returns, for each row, the summed log-probability of its labelled tokens.
     *
     * @param layers the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply
     * @param batch the sequences
     * @return one log-likelihood per row (0 for a row without labels)
     */
    public double[] sequenceLogLikelihoods(List<Integer> layers, LoraSpec lora, NamedTensors loraTensors,
            Batch batch) {
        LoraSpec ls = checks.lora(lora);
        checks.stack(layers);
        checks.batch(batch);
        ModelSpec spec = spec();
        double[] out = new double[batch.batchSize()];
        Losses.Targets tg = Losses.targets(batch, spec.vocabSize());
        if (tg.count() == 0) {
            return out;
        }
        try (NDManager m = stack.weights().manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, loraTensors, NamedTensors.empty(), 0);
            NDArray h = stack.forward(m, batch, layers, set, false, ModelDropout.NONE);
            float[] lp = Losses.targetLogProbs(stack, h, tg).toFloatArray();
            for (int i = 0; i < lp.length; i++) {
                out[tg.row()[i]] += lp[i];
            }
        }
        return out;
    }

    /**
     * Returns the logits of every position.
     *
     * @param layers the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply
     * @param tokens B*T token ids, row-major
     * @param batchSize B
     * @param seqLen T
     * @return B*T*V logits, row-major
     */
    public float[] logits(List<Integer> layers, LoraSpec lora, NamedTensors loraTensors, int[] tokens,
            int batchSize, int seqLen) {
        LoraSpec ls = checks.lora(lora);
        checks.stack(layers);
        checks.tokens(tokens, batchSize, seqLen);
        try (NDManager m = stack.weights().manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec(), ls, loraTensors, NamedTensors.empty(), 0);
            NDArray h = stack.forward(m, tokens, batchSize, seqLen, layers, set, false, ModelDropout.NONE);
            return stack.logits(h).toFloatArray();
        }
    }

    private ModelSpec spec() {
        return stack.weights().spec();
    }
}
